// @vitest-environment happy-dom
/**
 * Vendor text is text: an error message, a hint, a warning or a job message carrying markup shows as the
 * characters it is in the export list and the job's error, and nothing is made from it. No view renders
 * HTML from data: the renderer has no raw-HTML sink at all.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cleanup, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { JobErrorAlert } from '../../../renderer/features/jobs/JobErrorAlert.tsx';
import { JobsPage } from '../../../renderer/features/jobs/JobsPage.tsx';
import { FakeClient, job } from './fake-client.ts';
import { renderWith } from './render.tsx';

afterEach(cleanup);

const IMG = '<img src=x onerror="window.hacked=1">';
const SCRIPT = '<script>window.hacked=2</script>';
const hostile = job({
  state: 'failed',
  message: `Vendor said ${SCRIPT}`,
  warnings: [`Odd column ${IMG}`],
  error: {
    vendor: 'OmniQ',
    step: `fetching ${IMG}`,
    message: `HTTP 500: ${IMG}${SCRIPT}`,
    hint: `Call ${SCRIPT}`,
  },
});

function noMarkupMade(root: HTMLElement): void {
  expect(root.querySelectorAll('img, script, iframe, object, embed').length).toBe(0);
  expect((window as unknown as { hacked?: number }).hacked).toBeUndefined();
}

describe('vendor text with markup', () => {
  it('shows as text in the job’s error', () => {
    const { container } = renderWith(new FakeClient(), <JobErrorAlert job={hostile} />);
    const alert = screen.getByTestId('job-error');
    expect(alert.textContent).toContain(`HTTP 500: ${IMG}${SCRIPT}`);
    expect(alert.textContent).toContain(`What to do: Call ${SCRIPT}`);
    noMarkupMade(container);
  });

  it('shows as text in the list of exports', async () => {
    const client = new FakeClient({ 'jobs.list': () => [hostile] });
    const { container, stores } = renderWith(client, <JobsPage />);
    await stores.jobs.getState().load();
    await waitFor(() => expect(container.textContent).toContain(`HTTP 500: ${IMG}${SCRIPT}`));
    noMarkupMade(container);
  });

  it('has no way into the page as HTML in any view', () => {
    const root = path.resolve(import.meta.dirname, '../../../renderer');
    const files = readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && /\.(tsx?|html)$/.test(e.name))
      .map((e) => path.join(e.parentPath, e.name));
    expect(files.length).toBeGreaterThan(20);
    const sinks =
      /dangerouslySetInnerHTML|\.innerHTML\s*=|outerHTML\s*=|insertAdjacentHTML|document\.write|new Function\(|\beval\(/;
    expect(
      files.filter((f) => sinks.test(readFileSync(f, 'utf8'))).map((f) => path.relative(root, f)),
    ).toEqual([]);
  });
});
