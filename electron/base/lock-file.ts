/**
 * A lock file that lets one process at a time (the app, a second window's export, the CLI) act for a
 * tenant. Created with O_EXCL so exactly one creator wins; a lock left behind by a crashed process is
 * broken when its process is gone or it is older than any call could take.
 */
import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { abortReason } from './clock.ts';
import { alive } from './liveness.ts';
import type { Clock } from './clock.ts';

export interface LockOptions {
  clock: Clock;
  /** A lock older than this (on `clock`) is broken whoever holds it. */
  staleLockMs: number;
  /** How often a held lock is looked at again. */
  pollMs?: number;
  signal?: AbortSignal;
}

export interface HeldLock {
  /** Removes the lock if it is still this holder's; safe to call more than once. */
  release(): Promise<void>;
}

/** Who made a lock or ticket file: its process, machine and a token of its own. */
export interface Owner {
  pid: number;
  host: string;
  token: string;
}

interface LockContent extends Owner {
  at: number;
}

/** Tokens of locks this process holds now: a lock naming our pid but none of these is a leftover. */
const heldTokens = new Set<string>();

export const errCode = (err: unknown): unknown => (err as { code?: unknown } | null)?.code;

/** The owner a lock or ticket file names (and a lock's time); undefined when unreadable. */
export function parseOwner(text: string): (Owner & { at?: unknown }) | undefined {
  try {
    const v = JSON.parse(text) as Partial<Owner> | null;
    // pid 0 or negative would make process.kill() signal a whole process group; never accept one.
    if (
      v &&
      Number.isSafeInteger(v.pid) &&
      (v.pid as number) > 0 &&
      typeof v.host === 'string' &&
      typeof v.token === 'string'
    ) {
      return v as Owner;
    }
  } catch {
    // unreadable: handled by the caller
  }
  return undefined;
}

function parseLock(text: string): LockContent | undefined {
  const v = parseOwner(text);
  return v && Number.isFinite(v.at) ? (v as LockContent) : undefined;
}

/** Whether the process that made a file is known to be gone; `ours` tells a token this process holds. */
export function ownerGone(owner: Owner, ours: (token: string) => boolean): boolean {
  // A pid means nothing on another machine sharing the folder; there only age counts.
  if (owner.host !== hostname()) return false;
  // Our own pid: a restart that got the same pid (common in containers) must not wait on itself.
  if (owner.pid === process.pid) return !ours(owner.token);
  return !alive(owner.pid);
}

function isStale(holder: LockContent, opts: LockOptions): boolean {
  if (opts.clock.now() - holder.at > opts.staleLockMs) return true;
  return ownerGone(holder, (token) => heldTokens.has(token));
}

/**
 * Removes the lock at `path` if it carries `token` (or, with none, if it is not readable as a lock). It is
 * moved aside first (one atomic rename) and checked there, so a lock someone else created a moment ago is
 * put back, not deleted, unless a third process has created one meanwhile. Nothing there is not an error;
 * with `quiet`, no failure to move it is.
 */
async function removeIfToken(path: string, token: string | undefined, quiet = false): Promise<void> {
  const aside = `${path}.${randomBytes(6).toString('hex')}.gone`;
  try {
    await rename(path, aside);
  } catch (err) {
    if (quiet || errCode(err) === 'ENOENT') return;
    throw err;
  }
  const moved = parseLock(await readFile(aside, 'utf8').catch(() => ''));
  if (moved && moved.token !== token) await link(aside, path).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

/** Creates `path` holding `content`, private to the user; false when it exists already. */
export async function createExclusive(path: string, content: object): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (err) {
    if (errCode(err) === 'EEXIST') return false;
    throw err;
  }
  try {
    await handle.writeFile(JSON.stringify(content));
    await handle.close();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
    throw err;
  }
  return true;
}

/**
 * Handles a lock file we could not read as a lock: either its creator is between creating and writing
 * it, or it died there. The lock's own time is unknown, so its age comes from the file (wall time).
 */
async function breakIfAbandoned(path: string, staleLockMs: number): Promise<void> {
  let mtimeMs: number;
  try {
    mtimeMs = (await stat(path)).mtimeMs;
  } catch {
    return;
  }
  if (Date.now() - mtimeMs <= staleLockMs) return;
  // Readable by now: its creator finished writing it after all.
  await removeIfToken(path, undefined, true);
}

/**
 * One try: the lock if this process could take it now (breaking a stale one on the way), undefined when
 * a live holder has it.
 */
export async function tryAcquireLock(path: string, opts: LockOptions): Promise<HeldLock | undefined> {
  const { clock, signal } = opts;
  const token = randomBytes(12).toString('hex');
  for (;;) {
    if (signal?.aborted) throw abortReason(signal);
    const content: LockContent = { pid: process.pid, host: hostname(), at: clock.now(), token };
    if (await createExclusive(path, content)) {
      heldTokens.add(token);
      let released: Promise<void> | undefined;
      return {
        release: () => {
          released ??= removeIfToken(path, token).finally(() => heldTokens.delete(token));
          return released;
        },
      };
    }
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if (errCode(err) === 'ENOENT') continue; // released between our attempt and the read
      throw err;
    }
    const holder = parseLock(text);
    if (holder && isStale(holder, opts)) {
      await removeIfToken(path, holder.token);
      continue;
    }
    if (!holder) await breakIfAbandoned(path, opts.staleLockMs);
    return undefined;
  }
}

/** Waits (polling on the clock, abortable) until this process holds the lock at `path`. */
export async function acquireLock(path: string, opts: LockOptions): Promise<HeldLock> {
  const { clock, signal, pollMs = 250 } = opts;
  for (;;) {
    const held = await tryAcquireLock(path, opts);
    if (held) return held;
    await clock.sleep(pollMs, signal);
  }
}
