/**
 * Turns at a tenant's gate in the order they were asked for, across every process sharing the data folder
 * (the window, the command line) and within each. A caller takes a numbered ticket, a file beside the
 * gate's other files, and goes on to the gate only once no live ticket below its own is left. Without it,
 * whichever process woke first after each slot took it, and a busy process (the window running other
 * exports) could wake a moment after an idle one (the command line) at every turn, for all of its polls.
 *
 * Tickets order the turns; they do not make the limit. The gate's lock and its record of the last call
 * still do, so two callers that both think they are first (they took their tickets at the same moment)
 * cost one turn's fairness, never a call too soon.
 *
 * A waiter that died must not hold the queue: a ticket names its process, and one whose process is gone
 * (on this machine) is removed by whoever meets it. While a process waits it touches its tickets every
 * HEARTBEAT_MS, so a ticket left untouched for STALE_MS is a leftover whatever its pid says (a pid reused
 * after a reboot, a process on another machine sharing the folder, one that was suspended).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { keepTouching, STALE_MS, stopTouching } from '../base/liveness.ts';
import { abortReason } from '../base/clock.ts';
import type { Clock } from '../base/clock.ts';
import { createExclusive, errCode, ownerGone, parseOwner } from '../base/lock-file.ts';

export interface TicketQueueOptions {
  /** The gate's folder; made (private to the user) if missing. */
  dir: string;
  /** The gate's file name stem: tickets are `<stem>.<number>.ticket`. */
  stem: string;
  clock: Clock;
  /** How often a waiter behind another process's ticket looks again (on `clock`). */
  pollMs: number;
}

interface Ticket {
  seq: number;
  path: string;
  token: string;
}

/** What stands before a ticket: nothing, only callers in this process, or another process. */
type Ahead = 'none' | 'local' | 'remote';

/** Tickets this process holds, by path: a ticket naming our pid but not listed here is a leftover. */
const held = new Map<string, string>();
/** Per queue: bumped and announced whenever one of this process's tickets leaves, so local waiters wake. */
const changes = new Map<string, { version: number; listeners: Set<() => void> }>();
/** Per queue: ticket taking in this process, one at a time, so callers here are numbered as they asked. */
const taking = new Map<string, Promise<unknown>>();

export class TicketQueue {
  readonly #o: TicketQueueOptions;
  readonly #prefix: string;
  #madeDir: Promise<unknown> | undefined;

  constructor(opts: TicketQueueOptions) {
    this.#o = opts;
    this.#prefix = `${opts.stem}.`;
  }

  /**
   * Takes a ticket and waits (abortable) until it is first; resolves with the way out. The place among
   * this process's callers is taken before anything is awaited, so they are numbered as they called.
   */
  async join(signal?: AbortSignal, onBehind?: () => void): Promise<() => Promise<void>> {
    if (signal?.aborted) throw abortReason(signal);
    const before = taking.get(this.#key) ?? Promise.resolve();
    const mine = before.then(() => this.#take());
    const tail = mine.catch(() => undefined);
    taking.set(this.#key, tail);
    void tail.then(() => {
      if (taking.get(this.#key) === tail) taking.delete(this.#key);
    });
    const ticket = await mine;
    const leave = (): Promise<void> => this.#leave(ticket);
    try {
      await this.#waitTurn(ticket, signal, onBehind);
    } catch (err) {
      await leave();
      throw err;
    }
    return leave;
  }

  get #key(): string {
    return join(this.#o.dir, this.#o.stem);
  }

  #change(): { version: number; listeners: Set<() => void> } {
    let c = changes.get(this.#key);
    if (!c) changes.set(this.#key, (c = { version: 0, listeners: new Set() }));
    return c;
  }

  /** Live and dead tickets alike, lowest first. */
  async #list(): Promise<Array<{ seq: number; path: string }>> {
    const names = await readdir(this.#o.dir);
    const found: Array<{ seq: number; path: string }> = [];
    for (const name of names) {
      if (!name.startsWith(this.#prefix) || !name.endsWith('.ticket')) continue;
      const middle = name.slice(this.#prefix.length, -'.ticket'.length);
      if (!/^\d{1,16}$/.test(middle)) continue;
      found.push({ seq: Number(middle), path: join(this.#o.dir, name) });
    }
    return found.sort((a, b) => a.seq - b.seq);
  }

  /**
   * The next number is above every ticket there, and no lower than the wall clock's milliseconds, so a
   * caller that asks after another has left the queue empty is still numbered after one that asked first.
   */
  async #take(): Promise<Ticket> {
    this.#madeDir ??= mkdir(this.#o.dir, { recursive: true, mode: 0o700 });
    await this.#madeDir;
    const token = randomBytes(12).toString('hex');
    const content = { pid: process.pid, host: hostname(), token };
    for (;;) {
      const highest = (await this.#list()).at(-1)?.seq ?? 0;
      const seq = Math.max(highest + 1, Date.now());
      const path = join(this.#o.dir, `${this.#prefix}${seq}.ticket`);
      // Not created: someone took that number a moment ago.
      if (!(await createExclusive(path, content))) continue;
      held.set(path, token);
      keepTouching(path);
      return { seq, path, token };
    }
  }

  async #leave(ticket: Ticket): Promise<void> {
    if (held.get(ticket.path) !== ticket.token) return;
    held.delete(ticket.path);
    stopTouching(ticket.path);
    await unlink(ticket.path).catch(() => undefined);
    const c = this.#change();
    c.version++;
    for (const wake of [...c.listeners]) wake();
  }

  /** `onBehind` is told once, when the ticket first finds another before it. */
  async #waitTurn(ticket: Ticket, signal?: AbortSignal, onBehind?: () => void): Promise<void> {
    let told = false;
    for (;;) {
      if (signal?.aborted) throw abortReason(signal);
      const version = this.#change().version;
      const ahead = await this.#ahead(ticket);
      if (ahead === 'none') return;
      if (!told) {
        told = true;
        onBehind?.();
      }
      await this.#waitForChange(version, ahead === 'remote', signal);
    }
  }

  async #ahead(ticket: Ticket): Promise<Ahead> {
    let ahead: Ahead = 'none';
    for (const other of await this.#list()) {
      if (other.seq >= ticket.seq) break;
      if (held.has(other.path)) {
        ahead = 'local';
        continue;
      }
      if (await this.#isLive(other.path)) return 'remote';
      // A leftover. Its name is never taken again (numbers only grow past the tickets there), so
      // removing it by name cannot remove a newer ticket.
      await unlink(other.path).catch(() => undefined);
    }
    return ahead;
  }

  /** Whether another process may still be waiting on this ticket. */
  async #isLive(path: string): Promise<boolean> {
    let text: string;
    let mtimeMs: number;
    try {
      [text, { mtimeMs }] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    } catch (err) {
      if (errCode(err) === 'ENOENT') return false; // left meanwhile
      throw err;
    }
    // Heartbeats are wall-clock file times, so their age is too.
    if (Date.now() - mtimeMs > STALE_MS) return false;
    const owner = parseOwner(text);
    // Unreadable and recent: its process is between creating and writing it. Tickets this process holds
    // were passed over before, so one naming our pid was left by an earlier process that had it.
    return !owner || !ownerGone(owner, () => false);
  }

  /**
   * Waits until a ticket of this process leaves (since `version`), or, when another process is ahead,
   * for one poll: its leaving is seen only by looking again.
   */
  async #waitForChange(version: number, poll: boolean, signal?: AbortSignal): Promise<void> {
    const c = this.#change();
    if (c.version !== version) return;
    const stop = new AbortController();
    const either = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
    try {
      await new Promise<void>((resolve, reject) => {
        c.listeners.add(resolve);
        stop.signal.addEventListener('abort', () => c.listeners.delete(resolve), { once: true });
        if (signal?.aborted) reject(abortReason(signal));
        const onAbort = (): void => reject(abortReason(signal as AbortSignal));
        signal?.addEventListener('abort', onAbort, { once: true, signal: stop.signal });
        if (poll) this.#o.clock.sleep(this.#o.pollMs, either).then(resolve, () => undefined);
      });
    } finally {
      stop.abort();
    }
  }
}
