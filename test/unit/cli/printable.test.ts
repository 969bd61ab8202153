import { expect, it } from 'vitest';
import { printableIO } from '../../../electron/cli/printable.ts';
import { ProgressReporter } from '../../../electron/cli/progress.ts';
import type { JobRecord } from '../../../shared/jobs.ts';
import { testIO } from '../../helpers/cli-io.ts';

it('escapes text on a terminal but keeps the progress line’s own redraw', () => {
  const raw = testIO({ cwd: '/' });
  raw.err.isTTY = true;
  const io = printableIO(raw);
  expect(io.stderr.isTTY).toBe(true);
  const progress = new ProgressReporter(io, 'tty', () => 0);
  // Only the fields the progress line reads.
  const job = {
    state: 'fetching',
    recipe: { provider: 'omniq' },
    counters: { rows: 5, pages: 1, bytes: 0 },
  } as unknown as JobRecord;
  progress.job(job);
  progress.say('vendor says \u001b[2Jhi\u009b');
  expect(raw.err.text.startsWith('\r\u001b[2Kfetching    5 rows')).toBe(true);
  expect(raw.err.text).toContain('\nvendor says \\u001b[2Jhi\\u009b\n');
  // Wrapping again adds no second layer of escapes.
  printableIO(io).stderr.write('\u001b');
  expect(raw.err.text.endsWith('\\u001b')).toBe(true);
});
