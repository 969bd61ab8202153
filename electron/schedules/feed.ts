/**
 * The schedules as the window follows them: after every change the engine reports, the whole list
 * ('schedules.updated') and a notice for each run that finished ('schedules.notice'). One feed per
 * process, so each finished run is announced once, to every window and to the OS.
 */
import type { ScheduleNotice } from '../../shared/api.ts';
import type { ScheduleInfo } from '../../shared/schedules.ts';
import { RunNotices } from './notices.ts';

export type ScheduleEvent =
  | { event: 'schedules.updated'; payload: ScheduleInfo[] }
  | { event: 'schedules.notice'; payload: ScheduleNotice };

/** What the feed needs of the schedules engine. */
export interface FeedEngine {
  list(): Promise<readonly ScheduleInfo[]> | readonly ScheduleInfo[];
  /** Calls the listener after every change (saved, removed, a run started, retrying or finished). */
  on(listener: () => void): () => void;
}

/** Notices kept for a window that is not there yet (the catch-up at start, before a browser connects). */
const UNSEEN_NOTICES = 20;

export interface FeedListenerOptions {
  /**
   * A window: it is sent first the notices no window received (they came while none was open), so the
   * catch-up at start is told to the user even when the page connects after it.
   */
  window?: boolean;
}

export class ScheduleFeed {
  readonly #listeners = new Set<(e: ScheduleEvent) => void>();
  readonly #windows = new Set<(e: ScheduleEvent) => void>();
  #unseen: ScheduleNotice[] = [];
  readonly #notices = new RunNotices();
  #off: (() => void) | undefined;
  #started: Promise<void> | undefined;
  #closed = false;
  // Lists are taken one after another, so the window sees changes in the order they happened.
  #chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly engine: FeedEngine,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Takes the runs finished so far as known, then follows the engine. */
  start(): Promise<void> {
    this.#started ??= (async () => {
      try {
        this.#notices.prime(await this.engine.list());
      } catch (error) {
        this.onError(error);
      }
      if (!this.#closed) this.#off = this.engine.on(() => void this.refresh());
    })();
    return this.#started;
  }

  /** Follows the schedules from the first listener on. */
  on(listener: (e: ScheduleEvent) => void, options: FeedListenerOptions = {}): () => void {
    void this.start();
    this.#listeners.add(listener);
    if (options.window) {
      this.#windows.add(listener);
      const unseen = this.#unseen;
      this.#unseen = [];
      for (const payload of unseen) this.#send(listener, { event: 'schedules.notice', payload });
    }
    return () => {
      this.#listeners.delete(listener);
      this.#windows.delete(listener);
    };
  }

  /** A notice that does not come from a run's record (missed schedules caught up, a run refused). */
  notify(notice: ScheduleNotice): void {
    if (this.#windows.size === 0) this.#unseen = [...this.#unseen, notice].slice(-UNSEEN_NOTICES);
    this.#emit({ event: 'schedules.notice', payload: notice });
  }

  /** Lists the schedules again and sends them (and the notices of runs that finished) to every listener. */
  refresh(): Promise<void> {
    this.#chain = this.#chain.then(async () => {
      try {
        const list = [...(await this.engine.list())];
        this.#emit({ event: 'schedules.updated', payload: list });
        for (const notice of this.#notices.take(list)) this.notify(notice);
      } catch (error) {
        this.onError(error);
      }
    });
    return this.#chain;
  }

  close(): void {
    this.#closed = true;
    this.#off?.();
    this.#off = undefined;
    this.#listeners.clear();
    this.#windows.clear();
  }

  #emit(e: ScheduleEvent): void {
    for (const listener of this.#listeners) this.#send(listener, e);
  }

  #send(listener: (e: ScheduleEvent) => void, e: ScheduleEvent): void {
    try {
      listener(e);
    } catch (error) {
      this.onError(error);
    }
  }
}
