/**
 * The New export flow refuses to go on with a query that is not what the user meant: JSON that does not
 * parse, a CXone version the chosen entity does not offer. Enter in a text field goes on like Next.
 */
import type { Page } from '@playwright/test';
import type { Desk } from './fixtures.ts';
import { expect, test } from './fixtures.ts';
import { addOmniqConnection, go, jobDetail, openDesk, YEAR_2025 } from './helpers.ts';

/** A CXone connection nothing is fetched through (the version list needs no call to the vendor). */
async function addCxoneConnection(desk: Desk, name: string) {
  const saved = await desk.app.connections.save({
    name,
    provider: 'cxone',
    settings: {
      region: 'custom',
      authBaseUrl: 'http://127.0.0.1:9',
      apiBaseUrl: 'http://127.0.0.1:9',
      accessKeyId: 'AK-DEMO',
    },
  });
  return desk.app.connections.setSecret(saved.id, 'accessKeySecret', 'demo-secret');
}

async function toQueryStep(page: Page, connection: string) {
  await go(page, 'New export');
  await page.getByRole('radio', { name: connection }).check();
  await page.getByRole('button', { name: 'Next' }).click();
}

test('invalid JSON in the OmniQ filter blocks Next, says what to fix, and Back keeps what was typed', async ({
  page,
  desk,
}) => {
  await addOmniqConnection(desk, { name: 'Acme' });
  await openDesk(page, desk);
  await toQueryStep(page, 'Acme');
  await page.getByLabel('Created: period').selectOption('');

  const filters = page.getByLabel('Filters (field = value)');
  const typed = '{"platform": "whatsapp"';
  await filters.fill(typed);
  await expect(page.getByText(/Not valid JSON yet/)).toBeVisible();
  const next = page.getByRole('button', { name: 'Next' });
  await expect(next).toBeDisabled();
  await expect(page.getByTestId('builder-blocked')).toContainText(
    'Fix the JSON in “Filters (field = value)” (or empty it) to go on',
  );
  // No recipe is offered that differs from what is on screen.
  await expect(page.getByRole('button', { name: 'Copy as recipe' })).toBeDisabled();

  // Back and forth keeps the text exactly as typed, and still blocks.
  await page.getByRole('button', { name: 'Back' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(filters).toHaveValue(typed);
  await expect(next).toBeDisabled();

  // Fixed, the export goes on and runs with the filter.
  await filters.fill('{"platform": "whatsapp"}');
  await expect(next).toBeEnabled();
  await next.click();
  await page.getByRole('button', { name: 'Start export' }).click();
  await expect(jobDetail(page, 'ready')).toBeVisible();
  expect(desk.omniq.requests.at(-1)?.body).toMatchObject({ filterBy: { platform: 'whatsapp' } });
});

test('a JSON filter that is not an object blocks Next too', async ({ page, desk }) => {
  await addOmniqConnection(desk, { name: 'Acme' });
  await openDesk(page, desk);
  await toQueryStep(page, 'Acme');
  await page.getByLabel('Filters (field = value)').fill('["whatsapp"]');
  await expect(page.getByText('Write an object in braces')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
});

test('CXone: a new entity sets a version it offers and says so', async ({ page, desk }) => {
  await addCxoneConnection(desk, 'Tenant');
  await openDesk(page, desk);
  await toQueryStep(page, 'Tenant');
  const version = page.locator('input#query-version');
  await expect(version).toHaveValue('3');

  const entity = page.locator('input#query-entityName');
  await entity.fill('recording-interaction-metadata');
  await entity.press('Escape');
  await expect(version).toHaveValue('12');
  await expect(page.getByTestId('query-version-notice')).toHaveText(
    'recording-interaction-metadata does not offer version 3: set to 12, the latest it offers.',
  );

  await entity.fill('qm-workflows');
  await entity.press('Escape');
  await expect(version).toHaveValue('4');
  await expect(page.getByTestId('query-version-notice')).toHaveText(
    'qm-workflows does not offer version 12: set to 4, the latest it offers.',
  );

  // A version the entity offers is kept, and choosing one clears the notice.
  await version.fill('3');
  await version.press('Escape');
  await expect(page.getByTestId('query-version-notice')).toHaveCount(0);
});

test('Enter in a text field of a step goes on like Next, only when Next is enabled', async ({
  page,
  desk,
}) => {
  await addCxoneConnection(desk, 'Tenant');
  await openDesk(page, desk);
  await toQueryStep(page, 'Tenant');

  await page.getByLabel('Days: period').selectOption('Fixed days');
  const first = page.getByLabel('Days from (UTC day)');
  await first.fill('2025-05-01');
  await first.press('Enter');
  await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Start export' })).toHaveCount(0);

  const last = page.getByLabel('Days to (UTC day, inclusive)');
  await last.fill('2025-05-03');
  await last.press('Enter');
  await expect(page.getByRole('button', { name: 'Start export' })).toBeVisible();
  await expect(page.getByRole('radio', { name: 'CSV', exact: true })).toBeVisible();
});

test('the saved file is named for the vendor, the entity and the range', async ({ page, desk }) => {
  await addOmniqConnection(desk, { name: 'Acme' });
  await openDesk(page, desk);
  await toQueryStep(page, 'Acme');
  await page.getByLabel('Created: period').selectOption('custom');
  await page.getByLabel('Created from (UTC)').fill(YEAR_2025.from);
  await page.getByLabel('Created to (UTC, inclusive)').fill(YEAR_2025.to);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Start export' }).click();
  await expect(jobDetail(page, 'ready')).toBeVisible();
  await expect(page.getByTestId('save-file-name')).toHaveText(
    'OmniQ-communications-2025-01-01_2025-12-31.csv',
  );
});

test('CXone: before Start, the builder says how many jobs the range becomes and about how long', async ({
  page,
  desk,
}) => {
  await addCxoneConnection(desk, 'Tenant');
  await openDesk(page, desk);
  await toQueryStep(page, 'Tenant');
  await page.getByLabel('Days: period').selectOption('Fixed days');
  await page.getByLabel('Days from (UTC day)').fill('2025-05-01');
  await page.getByLabel('Days to (UTC day, inclusive)').fill('2025-05-31');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('builder-estimate')).toHaveText(
    '31 days → 3 CXone jobs, about 3 minutes: CXone takes one call per 30 seconds on a tenant, and each job needs at least two.',
  );
});
