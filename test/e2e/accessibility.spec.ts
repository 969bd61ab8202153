/**
 * Every screen, and its dialogs and menus, in the light and the dark theme (following the OS) and at a
 * small and a common window size, passes axe's WCAG 2.0 and 2.1 A and AA rules, and is saved as a
 * full-page screenshot: test-results/screens/<screen>-<theme>-<width>x<height>.png. The page's CSP forbids
 * injected scripts, so these checks' browser contexts bypass it to load axe.
 */
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { axe, describe, type Finding } from './axe.ts';
import { STATES } from '../../renderer/features/jobs/job-info.ts';
import { expect, screenshotTo, test, type Desk } from './fixtures.ts';
import { addOmniqConnection, finishedExport, go, jobDetail, omniqExport, openDesk } from './helpers.ts';

const SIZES = [
  { width: 1024, height: 700 },
  { width: 1366, height: 850 },
] as const;

/** `go`, opening the folded navigation first in a narrow window. */
async function goTo(page: Page, screen: Parameters<typeof go>[1]): Promise<void> {
  const burger = page.getByRole('button', { name: 'Show navigation' });
  if (await burger.isVisible()) await burger.click();
  await go(page, screen);
}

/**
 * Until no transition runs and every dialog is fully opaque: a dialog fading in is checked, and shot, once it
 * is fully there. (Between a dialog's mount and the start of its fade no animation runs yet, so the
 * opacity is what tells.)
 */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    if (document.getAnimations().some((a) => a.playState === 'running')) return false;
    return [...document.querySelectorAll('[role="dialog"]')].every((dialog) => {
      for (let el: Element | null = dialog; el; el = el.parentElement)
        if (getComputedStyle(el).opacity !== '1') return false;
      return true;
    });
  });
}

for (const scheme of ['light', 'dark'] as const) {
  for (const { width, height } of SIZES) {
    test(`every screen passes axe (WCAG 2.1 A/AA) in the ${scheme} theme at ${width}x${height}`, async ({
      browser,
      desk,
    }) => {
      const acme = await addOmniqConnection(desk, { name: 'Acme' });
      await finishedExport(desk, acme.name);
      await failedExport(desk, acme.name);
      const context = await browser.newContext({
        bypassCSP: true,
        colorScheme: scheme,
        viewport: { width, height },
      });
      const page = await context.newPage();
      const problems: string[] = [];
      const check = async (name: string) => {
        await settled(page);
        problems.push(...describe(name, await axe(page)));
        // An open dialog or menu is whole inside the window, none of it below or beside the edge.
        const outside = await page.evaluate(() =>
          [...document.querySelectorAll('[role="dialog"]')]
            .map((d) => ({ name: d.getAttribute('aria-labelledby') ?? '', box: d.getBoundingClientRect() }))
            .filter(
              ({ box }) =>
                box.width > 0 &&
                (box.top < 0 || box.left < 0 || box.bottom > innerHeight || box.right > innerWidth),
            )
            .map(
              ({ box }) =>
                `${Math.round(box.left)},${Math.round(box.top)} to ${Math.round(box.right)},${Math.round(box.bottom)} in ${innerWidth}x${innerHeight}`,
            ),
        );
        problems.push(
          ...outside.map((where) => `${name}: a dialog or menu is cut off by the window's edge (${where})`),
        );
        await screenshotTo(
          page,
          path.join('test-results', 'screens', `${name}-${scheme}-${width}x${height}.png`),
        );
      };
      try {
        await openDesk(page, desk);
        await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', scheme);

        await goTo(page, 'Connections');
        await expect(page.getByTestId('connection-row')).toHaveCount(1);
        await page.getByRole('button', { name: 'Test Acme' }).click();
        await expect(page.getByTestId('connection-test-result')).toContainText('Connection works');
        await check('connections');
        await page.getByRole('button', { name: 'Delete Acme' }).click();
        await expect(page.getByRole('dialog', { name: 'Delete connection?' })).toBeVisible();
        await check('connections-delete-dialog');
        await page.keyboard.press('Escape');
        await expect(page.getByRole('dialog')).toHaveCount(0);
        await page.getByRole('button', { name: 'Add connection' }).click();
        await expect(page.getByRole('form', { name: 'New connection' })).toBeVisible();
        await check('connections-new');
        await page.getByRole('button', { name: 'Cancel', exact: true }).click();

        await goTo(page, 'New export');
        await page.getByRole('radio', { name: 'Acme' }).check();
        await check('new-export-connection');
        await page.getByRole('button', { name: 'Next' }).click();
        await expect(page.getByLabel('Created: period')).toBeVisible();
        await check('new-export-query');
        await page.getByRole('button', { name: 'Next' }).click();
        await expect(page.getByRole('radio', { name: 'CSV', exact: true })).toBeVisible();
        await check('new-export-output');

        await goTo(page, 'Exports');
        await expect(page.getByTestId('job-row')).toHaveCount(2);
        await check('exports');
        await page.getByRole('button', { name: 'Remove OmniQ communications 2025-01-01–2025-12-31' }).click();
        await expect(page.getByRole('dialog', { name: 'Remove this export?' })).toBeVisible();
        await check('exports-remove-dialog');
        await page.keyboard.press('Escape');
        await expect(page.getByRole('dialog')).toHaveCount(0);

        await page.getByRole('button', { name: /^Open OmniQ no-such-index / }).click();
        await expect(jobDetail(page, 'failed')).toBeVisible();
        await check('export-failed');
        await goTo(page, 'Exports');
        await page.getByRole('button', { name: 'Open OmniQ communications 2025-01-01–2025-12-31' }).click();
        await expect(jobDetail(page, 'ready')).toBeVisible();
        const grid = page.getByTestId('preview-grid');
        await expect(grid.locator('[role="row"][aria-busy="true"]')).toHaveCount(0);
        await expect(grid.locator('[role="gridcell"]').first()).toBeVisible();
        await check('export-ready');
        await page.getByRole('button', { name: /^Columns/ }).click();
        await expect(page.getByRole('dialog', { name: /^Columns/ })).toBeVisible();
        await expectFocusWithin(page.getByRole('dialog', { name: /^Columns/ }));
        await check('export-columns-menu');
        await page.keyboard.press('Escape');
        await expect(page.getByRole('dialog')).toHaveCount(0);
        await page.getByRole('button', { name: 'Profile of column createdAt' }).click();
        await expect(page.getByRole('dialog', { name: /createdAt/ })).toBeVisible();
        await check('export-column-profile');
        await page.keyboard.press('Escape');
        await expect(page.getByRole('dialog')).toHaveCount(0);

        await goTo(page, 'Settings');
        await expect(page.getByTestId('settings-data-dir')).toContainText(desk.dir);
        await check('settings');
      } finally {
        await context.close();
      }
      expect(problems, `axe found violations:\n${problems.join('\n')}`).toEqual([]);
    });
  }
}

/** Waits until the focused element is inside `where` (a dialog, a form, a popover). */
async function expectFocusWithin(where: Locator): Promise<void> {
  await expect(where).toBeVisible();
  await expect.poll(() => where.evaluate((el) => el.contains(document.activeElement))).toBe(true);
}

test('dialogs and menus take focus when they open, give it back when they close, and Escape closes them', async ({
  page,
  desk,
}) => {
  const acme = await addOmniqConnection(desk, { name: 'Acme' });
  await addOmniqConnection(desk, { name: 'Beta' });
  await finishedExport(desk, acme.name);
  await finishedExport(desk, acme.name);
  await openDesk(page, desk);

  // Connections: the delete dialog, and the form that takes the list's place.
  await go(page, 'Connections');
  const deleteAcme = page.getByRole('button', { name: 'Delete Acme' });
  await deleteAcme.focus();
  await page.keyboard.press('Enter');
  const deleteDialog = page.getByRole('dialog', { name: 'Delete connection?' });
  await expectFocusWithin(deleteDialog);
  await page.keyboard.press('Escape');
  await expect(deleteDialog).toBeHidden();
  await expect(deleteAcme).toBeFocused();
  await page.keyboard.press('Enter');
  await deleteDialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page.getByTestId('connection-row')).toHaveCount(1);
  // The row that held focus is gone: the same control on the row that took its place has it.
  await expect(page.getByRole('button', { name: 'Delete Beta' })).toBeFocused();

  await page.getByRole('button', { name: 'Edit Beta' }).click();
  await expectFocusWithin(page.getByRole('form', { name: 'Edit connection Beta' }));
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Edit Beta' })).toBeFocused();
  await page.getByRole('button', { name: 'Add connection' }).click();
  await expectFocusWithin(page.getByRole('form', { name: 'New connection' }));
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Add connection' })).toBeFocused();

  // Exports: the remove dialog, from the list.
  await go(page, 'Exports');
  await expect(page.getByTestId('job-row')).toHaveCount(2);
  const remove = page
    .getByTestId('job-row')
    .first()
    .getByRole('button', { name: /^Remove / });
  await remove.focus();
  await page.keyboard.press('Enter');
  const removeDialog = page.getByRole('dialog', { name: 'Remove this export?' });
  await expectFocusWithin(removeDialog);
  await page.keyboard.press('Escape');
  await expect(removeDialog).toBeHidden();
  await expect(remove).toBeFocused();
  await page.keyboard.press('Enter');
  await removeDialog.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(page.getByTestId('job-row')).toHaveCount(1);
  await expect(page.getByTestId('job-row').getByRole('button', { name: /^Remove / })).toBeFocused();

  // An export's detail: the columns menu, then removing the export from there.
  await page.getByRole('button', { name: /^Open / }).click();
  await expect(jobDetail(page, 'ready')).toBeVisible();
  await expect(
    page.getByRole('heading', { level: 2, name: 'OmniQ communications 2025-01-01–2025-12-31' }),
  ).toBeFocused();
  const columns = page.getByRole('button', { name: /^Columns/ });
  await expect(columns).toBeEnabled();
  await columns.focus();
  await page.keyboard.press('Enter');
  const columnsMenu = page.getByRole('dialog', { name: /^Columns/ });
  await expectFocusWithin(columnsMenu);
  await page.keyboard.press('Escape');
  await expect(columnsMenu).toBeHidden();
  await expect(columns).toBeFocused();

  await page.getByRole('button', { name: /^Remove / }).click();
  await removeDialog.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(page.getByText('No exports yet.')).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Exports' })).toBeFocused();
});

test.describe(() => {
  // axe is injected into the page, which the app's CSP forbids unless this test's browser bypasses it.
  test.use({ bypassCSP: true });

  test('every control is named by its visible label', async ({ page, desk }) => {
    await finishedExport(desk, (await addOmniqConnection(desk, { name: 'Acme' })).name);
    await desk.app.connections.save({
      name: 'Contact centre',
      provider: 'cxone',
      settings: {
        authBaseUrl: 'https://cxone.example.test',
        apiBaseUrl: 'https://api.cxone.example.test',
        accessKeyId: 'key-id',
      },
    });
    await omniqExport(desk, 'Acme', { index: 'no-such-index' }, 'failed');
    await openDesk(page, desk);
    const only = (findings: Finding[]) =>
      findings.filter((f) => ['label-content-name-mismatch', 'button-name', 'link-name'].includes(f.id));
    const problems: string[] = [];

    await go(page, 'Connections');
    await expect(page.getByTestId('connection-row')).toHaveCount(2);
    problems.push(...describe('connections', only(await axe(page))));
    await go(page, 'Exports');
    await expect(page.getByTestId('job-row')).toHaveCount(2);
    problems.push(...describe('exports', only(await axe(page))));
    await page
      .getByTestId('job-row')
      .filter({ hasText: 'no-such-index' })
      .getByRole('button', { name: /^Open / })
      .click();
    await expect(jobDetail(page, 'failed')).toBeVisible();
    problems.push(...describe('failed-export', only(await axe(page))));
    expect(problems, `controls whose names do not hold their labels:\n${problems.join('\n')}`).toEqual([]);
  });
});

/** A failed export made through the service: OmniQ has no index of that name. */
async function failedExport(desk: Desk, connection: string): Promise<void> {
  const job = await desk.app.runner.start(
    desk.app.parseRecipe({ version: 1, connection, provider: 'omniq', query: { index: 'no-such-index' } }),
  );
  expect((await desk.app.runner.wait(job.id)).state).toBe('failed');
}

test('status badges and status lines read in the dark theme', async ({ browser, desk }) => {
  const acme = await addOmniqConnection(desk, { name: 'Acme' });
  await finishedExport(desk, acme.name);
  await failedExport(desk, acme.name);
  const context = await browser.newContext({ bypassCSP: true, colorScheme: 'dark' });
  const page = await context.newPage();
  const problems: string[] = [];
  const contrast = async (name: string) =>
    problems.push(
      ...describe(
        name,
        (await axe(page)).filter((f) => f.id === 'color-contrast'),
      ),
    );
  try {
    await openDesk(page, desk);
    // A connection saved a moment ago says so under its name.
    await go(page, 'Connections');
    await page.getByRole('button', { name: 'Edit Acme' }).click();
    await page.getByRole('button', { name: 'Save connection' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved “Acme”.' })).toBeVisible();
    await contrast('connections');

    // A failed export says why in its row.
    await go(page, 'Exports');
    await expect(page.getByTestId('job-row')).toHaveCount(2);
    await expect(page.getByTestId('job-row').filter({ hasText: 'no-such-index' })).toContainText('Failed');
    const badge = page.getByTestId('job-state').first();
    // The states' colours, and those of secrets, sign-in, the keychain and the vendor's job statuses
    // (green, grey, red, and yellow for a status Export Desk does not know): a copy of a real badge in
    // each, beside it, styled as Mantine styles a light badge.
    const colours = [
      ...new Set([...Object.values(STATES).map((s) => s.color), 'teal', 'gray', 'red', 'yellow']),
    ];
    await badge.evaluate((el, list) => {
      for (const c of list) {
        const copy = el.cloneNode(true) as HTMLElement;
        copy.removeAttribute('data-testid');
        copy.style.setProperty('--badge-bg', `var(--mantine-color-${c}-light)`);
        copy.style.setProperty('--badge-color', `var(--mantine-color-${c}-light-color)`);
        el.after(copy);
      }
    }, colours);
    await contrast('exports');
  } finally {
    await context.close();
  }
  expect(problems, `text below WCAG AA contrast in the dark theme:\n${problems.join('\n')}`).toEqual([]);
});
