/**
 * IntelePeer runs at most two queries per account at once. Each running query holds one of two lock
 * files in the data folder, shared by every export of the app and the CLI; a third waits for a free
 * one. A slot is held from submission until the vendor reports the query finished.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gateFileStem } from '../../http/tenant-gate.ts';
import { tryAcquireLock, type HeldLock } from '../../base/lock-file.ts';
import type { RunContext } from '../../jobs/provider.ts';

export const RUNNING_QUERIES_PER_ACCOUNT = 2;
/** The vendor's rule in its own terms, shown while an export waits for a slot. */
export const SLOT_RULE = `IntelePeer runs at most ${RUNNING_QUERIES_PER_ACCOUNT} queries at once per account`;
/** How often a waiting export looks for a free slot. */
export const SLOT_POLL_MS = 2_000;
/** A query may run for hours; a crashed holder on this machine is noticed by its pid long before this. */
const STALE_SLOT_MS = 48 * 3_600_000;

export interface SlotOptions extends Pick<RunContext<unknown, unknown>, 'dataDir' | 'clock' | 'signal'> {
  /** Names the account: the same for every connection signing in as the same API user. */
  account: string;
  /** Told once each time the export starts waiting for a slot. */
  onWait(message: string): void;
}

export async function acquireQuerySlot(opts: SlotOptions): Promise<HeldLock> {
  const dir = join(opts.dataDir, 'limits');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const stem = gateFileStem(`intelepeer:${opts.account}`);
  let told = false;
  for (;;) {
    for (let i = 0; i < RUNNING_QUERIES_PER_ACCOUNT; i++) {
      const held = await tryAcquireLock(join(dir, `${stem}.query-${i}.lock`), {
        clock: opts.clock,
        staleLockMs: STALE_SLOT_MS,
        signal: opts.signal,
      });
      if (held) return held;
    }
    if (!told) {
      told = true;
      opts.onWait(
        `waiting: ${RUNNING_QUERIES_PER_ACCOUNT} queries already running on this account (IntelePeer runs at most ${RUNNING_QUERIES_PER_ACCOUNT} at once)`,
      );
    }
    await opts.clock.sleep(SLOT_POLL_MS, opts.signal);
  }
}
