import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobRecord, JobState } from '../../../shared/jobs.ts';
import { FakeBrowserWindow, FakeNotification, resetFake } from './fake-electron.ts';

vi.mock('electron', () => import('./fake-electron.ts').then((m) => m.fake));

const { desktopNotifier, INDETERMINATE, NO_PROGRESS, trackProgress } =
  await import('../../../electron/shell/progress.ts');

function record(
  id: string,
  state: JobState,
  counters: Partial<JobRecord['counters']>,
  seconds = 0,
): JobRecord {
  const start = Date.parse('2025-03-01T10:00:00.000Z');
  return {
    id,
    state,
    recipe: { version: 1, name: `Export ${id}`, connection: 'acme', provider: 'omniq', query: {} },
    connectionId: 'c1',
    createdAt: new Date(start).toISOString(),
    startedAt: new Date(start).toISOString(),
    updatedAt: new Date(start + seconds * 1000).toISOString(),
    ...(state === 'ready' || state === 'failed'
      ? { finishedAt: new Date(start + seconds * 1000).toISOString() }
      : {}),
    counters: { pages: 0, rows: 0, bytes: 0, ...counters },
    warnings: [],
    saves: [],
    remote: {},
    ...(state === 'failed'
      ? { error: { message: 'OmniQ said 401.', vendor: 'OmniQ', step: 'downloading' } }
      : {}),
  } as unknown as JobRecord;
}

let emit: (r: JobRecord) => void;
let win: FakeBrowserWindow;
let notices: Array<[string, string]>;

beforeEach(() => {
  resetFake();
  win = new FakeBrowserWindow();
  notices = [];
  trackProgress({
    runner: {
      on(listener) {
        emit = listener;
        return () => undefined;
      },
    },
    window: () => win,
    notify: (title, body) => notices.push([title, body]),
  });
});

describe('taskbar progress', () => {
  it('shows the fraction of expected rows, indeterminate without a count, and clears when done', () => {
    emit(record('a', 'downloading', { rows: 250, expectedRows: 1000 }));
    emit(record('b', 'waiting', {}));
    emit(record('b', 'cancelled', {}));
    emit(record('a', 'ready', { rows: 1000, expectedRows: 1000 }, 3));
    expect(win.progress).toEqual([0.25, INDETERMINATE, 0.25, NO_PROGRESS]);
  });

  it('combines several running exports', () => {
    emit(record('a', 'downloading', { rows: 100, expectedRows: 200 }));
    emit(record('b', 'downloading', { rows: 0, expectedRows: 200 }));
    expect(win.progress.at(-1)).toBe(0.25);
  });
});

describe('finish notification', () => {
  it('tells about an export that ran longer than 10 s', () => {
    emit(record('a', 'downloading', { rows: 10 }));
    emit(record('a', 'ready', { rows: 12_345 }, 11));
    emit(record('b', 'downloading', {}));
    emit(record('b', 'failed', {}, 60));
    expect(notices).toEqual([
      ['Export ready', 'Export a: 12,345 rows, ready to save.'],
      ['Export failed', 'Export b: OmniQ said 401.'],
    ]);
  });

  it('stays quiet for a quick export and for one it never saw running', () => {
    emit(record('a', 'downloading', {}));
    emit(record('a', 'ready', {}, 9));
    emit(record('old', 'ready', {}, 600));
    emit(record('old', 'saved', {}, 600));
    expect(notices).toEqual([]);
  });

  it('shows a desktop notification that brings the window back when clicked', () => {
    const focus = vi.fn();
    desktopNotifier(focus)('Export ready', 'Export a: 3 rows, ready to save.');
    expect(FakeNotification.shown.map((n) => n.options)).toEqual([
      { title: 'Export ready', body: 'Export a: 3 rows, ready to save.' },
    ]);
    FakeNotification.shown[0]?.emit('click');
    expect(focus).toHaveBeenCalledTimes(1);
    FakeNotification.supported = false;
    desktopNotifier(focus)('x', 'y');
    expect(FakeNotification.shown).toHaveLength(1);
  });
});
