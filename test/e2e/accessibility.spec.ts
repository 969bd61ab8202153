/**
 * Every screen, in the light and the dark theme (following the OS), passes axe's WCAG 2 A and AA rules, and
 * is saved as a screenshot. The page's CSP forbids injected scripts, so only this check's browser context
 * bypasses it to load axe.
 */
import { axe, describe } from './axe.ts';
import { expect, screen, test } from './fixtures.ts';
import { addOmniqConnection, finishedExport, go, jobDetail, openDesk } from './helpers.ts';

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

      await page.getByRole('button', { name: 'Open OmniQ communications 2025-01-01–2025-12-31' }).click();
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
