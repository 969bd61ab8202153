/**
 * The names in the contract (shared/api.ts) as plain strings, without zod, so the sandboxed preload
 * bundle stays small. A unit test keeps this list equal to the keys of `requests` and `events`.
 */
import type { EventName, EventPayload, RequestInput, RequestName, RequestOutput } from './api.ts';

export const REQUEST_NAMES = [
  'app.info',
  'settings.get',
  'settings.set',
  'settings.testProxy',
  'settings.chooseCaFile',
  'settings.keepCaFile',
  'storage.usage',
  'storage.prune',
  'connections.list',
  'connections.save',
  'connections.remove',
  'connections.setSecret',
  'connections.deleteSecret',
  'connections.test',
  'connections.testDraft',
  'connections.lookup',
  'connections.signIn',
  'connections.signInResult',
  'exports.start',
  'exports.cancel',
  'exports.retry',
  'jobs.list',
  'jobs.get',
  'jobs.remove',
  'jobs.files',
  'jobs.setLayout',
  'preview.page',
  'preview.profile',
  'exports.save',
  'exports.prepareDownload',
  'exports.saveSummary',
  'exports.summaryFile',
  'exports.reveal',
  'recipes.list',
  'recipes.save',
  'recipes.remove',
  'recipes.import',
  'schedules.list',
  'schedules.save',
  'schedules.remove',
  'schedules.runNow',
  'schedules.chooseFolder',
] as const satisfies readonly RequestName[];

export const EVENT_NAMES = [
  'job.updated',
  'schedules.updated',
  'schedules.notice',
] as const satisfies readonly EventName[];

/** IPC channel of one request; every event travels on EVENT_CHANNEL as `{event, payload}`. */
export const requestChannel = (name: string): string => `exportdesk:${name}`;
export const EVENT_CHANNEL = 'exportdesk:event';

/** 'connections.setSecret' -> 'connectionsSetSecret'. */
export type MethodName<S extends string> = S extends `${infer Head}.${infer Tail}`
  ? `${Head}${MethodName<Capitalize<Tail>>}`
  : S;

export function methodName<S extends string>(name: S): MethodName<S> {
  return name.replace(/\.(.)/g, (_, next: string) => next.toUpperCase()) as MethodName<S>;
}

/**
 * What the preload exposes as `window.exportDesk`. A failed request rejects with an Error whose message
 * is meant for the user.
 */
export type ExportDeskBridge = {
  [N in RequestName as MethodName<N>]: (input: RequestInput<N>) => Promise<RequestOutput<N>>;
} & {
  on<E extends EventName>(event: E, callback: (payload: EventPayload<E>) => void): () => void;
  readonly kind: 'desktop';
};

// Both directions, so a request added to the contract and forgotten here fails the type check.
type Missing =
  Exclude<RequestName, (typeof REQUEST_NAMES)[number]> | Exclude<EventName, (typeof EVENT_NAMES)[number]>;
const _complete: [Missing] extends [never] ? true : Missing = true;
