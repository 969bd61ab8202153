import { describe, expect, it } from 'vitest';
import type { ScheduleNotice } from '../../../shared/api.ts';
import { ScheduleFeed, type ScheduleEvent } from '../../../electron/schedules/feed.ts';

const engine = { list: () => [], on: () => () => undefined };

const caughtUp: ScheduleNotice = {
  kind: 'caught-up',
  title: 'Missed schedules ran',
  body: '1 schedule missed its run while Export Desk was closed; it ran once now.',
};

const notices = (events: ScheduleEvent[]) => events.filter((e) => e.event === 'schedules.notice');

describe('schedule notices', () => {
  it('told while no window was open reach the first window that opens, once', () => {
    const feed = new ScheduleFeed(engine, (e) => {
      throw e;
    });
    const terminal: ScheduleEvent[] = [];
    feed.on((e) => terminal.push(e));
    feed.notify(caughtUp);
    // The terminal's listener is not a window: the notice waits for one.
    expect(notices(terminal)).toHaveLength(1);
    const first: ScheduleEvent[] = [];
    feed.on((e) => first.push(e), { window: true });
    expect(notices(first).map((e) => e.payload)).toEqual([caughtUp]);
    const second: ScheduleEvent[] = [];
    feed.on((e) => second.push(e), { window: true });
    expect(notices(second)).toEqual([]);
    feed.close();
  });

  it('told while a window is open go to it and are not kept for the next', () => {
    const feed = new ScheduleFeed(engine, (e) => {
      throw e;
    });
    const open: ScheduleEvent[] = [];
    const off = feed.on((e) => open.push(e), { window: true });
    feed.notify(caughtUp);
    expect(notices(open)).toHaveLength(1);
    off();
    const later: ScheduleEvent[] = [];
    feed.on((e) => later.push(e), { window: true });
    expect(notices(later)).toEqual([]);
    feed.close();
  });
});
