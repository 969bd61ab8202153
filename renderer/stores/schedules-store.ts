import { createStore } from 'zustand/vanilla';
import type { ScheduleNotice } from '../../shared/api.ts';
import type { SaveScheduleInput, ScheduleInfo } from '../../shared/schedules.ts';
import { errorMessage, type ExportDeskClient } from '../api/index.ts';

/** A notice shown in the window, with an id to dismiss it by. */
export type ShownNotice = ScheduleNotice & { id: number };

/** The most notices kept on screen; older ones go first. */
const MAX_NOTICES = 4;

export interface SchedulesState {
  schedules: ScheduleInfo[];
  loaded: boolean;
  error: string | undefined;
  notices: ShownNotice[];
  load(): Promise<void>;
  /** Takes a list (every schedule) or one schedule from a reply or a 'schedules.updated' event. */
  apply(update: ScheduleInfo[] | ScheduleInfo): void;
  save(input: SaveScheduleInput): Promise<ScheduleInfo>;
  remove(name: string): Promise<void>;
  runNow(name: string): Promise<void>;
  setPaused(schedule: ScheduleInfo, paused: boolean): Promise<void>;
  /** Desktop: the folder dialog; undefined when the user cancels. */
  chooseFolder(): Promise<string | undefined>;
  notify(notice: ScheduleNotice): void;
  dismiss(id: number): void;
  /** Listens for live updates and notices; returns the unsubscribe. */
  subscribe(): () => void;
}

const byName = (a: ScheduleInfo, b: ScheduleInfo) => a.name.localeCompare(b.name);

/** What to send to change a schedule as it is (pause, resume). */
export function inputOf(s: ScheduleInfo): SaveScheduleInput {
  return {
    name: s.name,
    previousName: s.name,
    recipe: s.recipe,
    timing: s.timing,
    timeZone: s.timeZone,
    folder: s.folder,
    paused: s.paused,
  };
}

export function createSchedulesStore(client: ExportDeskClient) {
  let nextId = 1;
  return createStore<SchedulesState>()((set, get) => ({
    schedules: [],
    loaded: false,
    error: undefined,
    notices: [],
    async load() {
      try {
        get().apply(await client.call('schedules.list', {}));
        set({ loaded: true, error: undefined });
      } catch (e) {
        set({ loaded: true, error: errorMessage(e) });
      }
    },
    apply(update) {
      if (Array.isArray(update)) return set({ schedules: [...update].sort(byName) });
      const rest = get().schedules.filter((s) => s.name !== update.name);
      set({ schedules: [...rest, update].sort(byName) });
    },
    async save(input) {
      const saved = await client.call('schedules.save', input);
      if (input.previousName && input.previousName !== saved.name)
        set({ schedules: get().schedules.filter((s) => s.name !== input.previousName) });
      get().apply(saved);
      return saved;
    },
    async remove(name) {
      await client.call('schedules.remove', { name });
      set({ schedules: get().schedules.filter((s) => s.name !== name) });
    },
    async runNow(name) {
      get().apply(await client.call('schedules.runNow', { name }));
    },
    async setPaused(schedule, paused) {
      await get().save({ ...inputOf(schedule), paused });
    },
    async chooseFolder() {
      return (await client.call('schedules.chooseFolder', {})).path;
    },
    notify(notice) {
      set({ notices: [...get().notices, { ...notice, id: nextId++ }].slice(-MAX_NOTICES) });
    },
    dismiss(id) {
      set({ notices: get().notices.filter((n) => n.id !== id) });
    },
    subscribe() {
      const offUpdated = client.on('schedules.updated', (update) => get().apply(update));
      const offNotice = client.on('schedules.notice', (notice) => get().notify(notice));
      return () => {
        offUpdated();
        offNotice();
      };
    },
  }));
}
