/**
 * IntelePeer recipes with relative times: the body sent is at whole seconds, as the vendor wants, and
 * since-last-run goes on from the second after the last run's end, so no event is fetched twice.
 */
import { describe, expect, it } from 'vitest';
import { intelepeerRuntime } from '../../../electron/providers/intelepeer.ts';
import type { IntelepeerQuery } from '../../../shared/providers/intelepeer.ts';

const data = { ApplicationExitEvent: { fields: ['FlowId'] } };
const resolve = (timestamp: IntelepeerQuery['timestamp'], now: string, lastRunUntil?: string) =>
  intelepeerRuntime.resolveQuery({ timestamp, data }, { nowMs: Date.parse(now), lastRunUntil }).timestamp;

describe('an IntelePeer period', () => {
  it('becomes $gte/$lte at whole seconds', () => {
    expect(resolve('yesterday', '2025-09-10T12:00:05.500Z')).toEqual({
      $gte: '2025-09-09T00:00:00Z',
      $lte: '2025-09-09T23:59:59Z',
    });
  });

  it('since the last run: from the second after the last run’s end, up to now', () => {
    const first = resolve('since-last-run', '2025-09-10T12:00:05.500Z', '2025-09-09T23:59:59.999Z');
    expect(first).toEqual({ $gte: '2025-09-10T00:00:00Z', $lte: '2025-09-10T12:00:05Z' });
    const mark = intelepeerRuntime.rangeEnd?.({ timestamp: first, data });
    expect(mark).toBe('2025-09-10T12:00:05.000Z');
    // The second 12:00:05 was in the first run ($lte is inclusive): the next run starts after it.
    expect(resolve('since-last-run', '2025-09-10T13:00:00.000Z', mark)).toEqual({
      $gte: '2025-09-10T12:00:06Z',
      $lte: '2025-09-10T13:00:00Z',
    });
  });
});
