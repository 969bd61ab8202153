/**
 * Every screen, in the light and the dark theme (following the OS), passes axe's WCAG 2 A and AA rules, and
 * is saved as a screenshot. The page's CSP forbids injected scripts, so only this check's browser context
 * bypasses it to load axe.
 */
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, screen, test } from './fixtures.ts';
import { addOmniqConnection, finishedExport, go, jobDetail, openDesk } from './helpers.ts';

const AXE = path.resolve('node_modules/axe-core/axe.min.js');

interface Finding {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

async function axe(page: Page): Promise<Finding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    // axe-core is loaded into the page above; its types are not visible from here.
    const { axe: run } = window as unknown as {
      axe: { run(ctx: Document, opts: object): Promise<{ violations: Finding[] }> };
    };
    const result = await run.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
}

function describe(screenName: string, findings: Finding[]): string[] {
  return findings.map(
    (f) =>
      `${screenName}: ${f.id} (${f.impact ?? 'n/a'}) ${f.help}\n` +
      f.nodes
        .slice(0, 5)
        .map((n) => `    ${n.target.join(' ')}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`)
        .join('\n'),
  );
}

for (const scheme of ['light', 'dark'] as const) {
  test(`every screen passes axe (WCAG 2 A/AA) in the ${scheme} theme`, async ({ browser, desk }) => {
    await finishedExport(desk, (await addOmniqConnection(desk, { name: 'Acme' })).name);
    const context = await browser.newContext({
      bypassCSP: true,
      colorScheme: scheme,
      viewport: { width: 1280, height: 800 },
    });
    const page = await context.newPage();
    const problems: string[] = [];
    const check = async (name: string) => {
      problems.push(...describe(name, await axe(page)));
      await screen(page, `${name}-${scheme}`);
    };
    try {
      await openDesk(page, desk);
      await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', scheme);

      await go(page, 'Connections');
      await expect(page.getByTestId('connection-row')).toHaveCount(1);
      await page.getByRole('button', { name: 'Test Acme' }).click();
      await expect(page.getByTestId('connection-test-result')).toContainText('Connection works');
      await check('connections');

      await go(page, 'New export');
      await page.getByRole('radio', { name: 'Acme' }).check();
      await check('new-export-connection');
      await page.getByRole('button', { name: 'Next' }).click();
      await expect(page.getByLabel('Created: period')).toBeVisible();
      await check('new-export-query');
      await page.getByRole('button', { name: 'Next' }).click();
      await expect(page.getByRole('radio', { name: 'CSV', exact: true })).toBeVisible();
      await check('new-export-output');

      await go(page, 'Exports');
      await expect(page.getByTestId('job-row')).toHaveCount(1);
      await check('exports');

      await page.getByRole('button', { name: 'Open OmniQ: communications' }).click();
      await expect(jobDetail(page, 'ready')).toBeVisible();
      await expect(page.getByTestId('preview-grid').locator('[role="row"][aria-busy="true"]')).toHaveCount(0);
      await expect(page.getByTestId('preview-grid').locator('[role="gridcell"]').first()).toBeVisible();
      await check('job-detail');

      await go(page, 'Settings');
      await expect(page.getByTestId('settings-data-dir')).toContainText(desk.dir);
      await check('settings');
    } finally {
      await context.close();
    }
    expect(problems, `axe found violations:\n${problems.join('\n')}`).toEqual([]);
  });
}
