/**
 * An Omni documents export through the guided flow: the creator picked by name from the organisation's
 * users, labels from Omni's list, a sort; and what Omni refuses shown next to the field it is about.
 */
import type { Page } from '@playwright/test';
import { startOmniSimulator, type OmniSimulator } from '../simulators/omni.ts';
import { expect, screen, test, type Desk } from './fixtures.ts';
import { go, jobDetail, openDesk } from './helpers.ts';

const KEY = 'omni-e2e-key';
let sim: OmniSimulator;

test.beforeEach(async () => {
  sim = await startOmniSimulator({ documents: 400, users: 150, keys: [KEY] });
});
test.afterEach(async () => {
  await sim.close();
});

async function addOmniConnection(desk: Desk): Promise<void> {
  const saved = await desk.app.connections.save({
    name: 'Blob Org',
    provider: 'omni',
    settings: { baseUrl: sim.url, apiVersion: 'v1' },
  });
  await desk.app.connections.setSecret(saved.id, 'apiKey', KEY);
}

async function toQueryStep(page: Page): Promise<void> {
  await go(page, 'New export');
  await page.getByRole('radio', { name: 'Blob Org' }).check();
  await page.getByRole('button', { name: 'Next' }).click();
}

async function pickUser(page: Page, field: 'creatorId' | 'userId', name: string): Promise<void> {
  const input = page.locator(`input#query-${field}`);
  await input.click();
  await input.fill(name);
  await page.getByRole('option', { name: new RegExp(`^${name} \\(`) }).click();
}

const pickCreator = (page: Page, name: string) => pickUser(page, 'creatorId', name);

async function start(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('radio', { name: 'CSV', exact: true }).check();
  await page.getByRole('button', { name: 'Start export' }).click();
  await expect(page.getByTestId('job-detail')).toBeVisible();
}

test('adds an Omni connection through the form and tests it', async ({ page, desk }) => {
  await openDesk(page, desk);
  await go(page, 'Connections');
  await page.getByRole('button', { name: 'Add connection' }).click();
  const form = page.getByRole('form', { name: 'New connection' });
  await form.getByLabel('Provider').selectOption('omni');
  await form.getByLabel('Name').fill('Blob Org');
  await form.getByLabel('Organisation address').fill(sim.url);
  await form.getByLabel('API key or personal access token').fill(KEY);
  await form.getByLabel('API path version').selectOption('unstable');
  await form.getByRole('button', { name: 'Save connection' }).click();
  await expect(page.getByTestId('connection-row')).toContainText('Blob Org');
  const [saved] = await desk.app.connections.list();
  expect(saved?.settings).toEqual({ baseUrl: sim.url, apiVersion: 'unstable', requestsPerMinute: 60 });
  await page.getByRole('button', { name: 'Test Blob Org' }).click();
  await expect(page.getByTestId('connection-test-result')).toContainText('Connected to Omni (unstable path)');
  expect(sim.calls.at(-1)?.path).toBe('/api/unstable/documents');
});

test('exports the documents of a creator picked by name, with a label from Omni’s list', async ({
  page,
  desk,
}) => {
  await addOmniConnection(desk);
  await openDesk(page, desk);
  const owner = sim.org.users.find((u) => u.id === sim.org.documents[0]?.owner.id);
  expect(owner).toBeDefined();
  const name = owner?.displayName as string;

  await toQueryStep(page);
  await pickCreator(page, name);
  const labels = page.locator('input#query-labels');
  await labels.click();
  await page.getByRole('option', { name: 'Finance' }).click();
  await labels.press('Escape');
  await page.getByLabel('Direction').selectOption('desc');
  const sort = page.locator('input#query-sortField');
  await sort.fill('updatedAt');
  await sort.press('Escape');
  await screen(page, 'omni-query');
  await start(page);

  await expect(jobDetail(page, 'ready')).toBeVisible();
  const expected = sim.expected('v1', {
    sortField: 'updatedAt',
    sortDirection: 'desc',
    labels: 'Finance',
    creatorId: owner?.id as string,
  });
  expect(expected.length).toBeGreaterThan(0);
  await expect(page.getByTestId('preview-row-count')).toContainText(`${expected.length} row`);
  const asked = sim.calls.filter((c) => c.path.endsWith('/documents')).at(-1)?.query;
  expect(asked).toMatchObject({ creatorId: owner?.id, labels: 'Finance', sortField: 'updatedAt' });
  // Labels read as one cell of names in the preview (its columns scroll sideways), as in the CSV.
  const jobId = (await page.getByTestId('job-detail').getAttribute('data-job-id')) as string;
  const preview = await desk.app.previewPage(jobId, 0, 100);
  const labelsAt = preview.columns.indexOf('labels');
  const pathAt = preview.columns.indexOf('folder.path');
  expect(preview.rows.map((r) => r[labelsAt])).toEqual(
    expected.map((d) => d.labels.map((l) => l.name).join('; ')),
  );
  expect(preview.rows.map((r) => r[pathAt])).toEqual(expected.map((d) => d.folder?.path ?? null));
});

test('shows what Omni refuses next to the field: a creator removed meanwhile, a sort it does not know', async ({
  page,
  desk,
}) => {
  await addOmniConnection(desk);
  await openDesk(page, desk);
  const gone = sim.org.users[3];
  expect(gone).toBeDefined();

  await toQueryStep(page);
  await pickCreator(page, gone?.displayName as string);
  // The user is removed in Omni after being picked.
  sim.org.users.splice(3, 1);
  await start(page);
  await expect(jobDetail(page, 'failed')).toBeVisible();
  await expect(page.getByTestId('job-error')).toContainText(`No user with the id ${gone?.id}`);
  await expect(page.getByTestId('job-error')).toContainText('“Creator”');
  await expect(page.getByRole('button', { name: /^Edit query of / })).toHaveCount(0);
  await page.getByRole('button', { name: 'Edit the query', exact: true }).click();

  await expect(page.getByRole('heading', { level: 2, name: 'New export' })).toBeVisible();
  await expect(page.locator('#query-creatorId-error')).toContainText(`No user with the id ${gone?.id}`);
  await expect(page.locator('input#query-creatorId')).toHaveAttribute('aria-invalid', 'true');
  await screen(page, 'omni-field-error');
  // Choosing another creator clears the message; a sort Omni does not know is refused next to "Sort by".
  await pickCreator(page, sim.org.users[0]?.displayName as string);
  await expect(page.locator('#query-creatorId-error')).toHaveCount(0);
  const sort = page.locator('input#query-sortField');
  await sort.fill('popularity');
  await sort.press('Escape');
  await start(page);
  await expect(jobDetail(page, 'failed')).toBeVisible();
  await page.getByRole('button', { name: 'Edit the query', exact: true }).click();
  await expect(page.locator('#query-sortField-error')).toContainText(
    'it accepts favorites, name, updatedAt, visits',
  );
  await expect(page.locator('#query-creatorId-error')).toHaveCount(0);
});

test('asks for the user before exporting only favorites, and picks them by name from Omni’s users', async ({
  page,
  desk,
}) => {
  await addOmniConnection(desk);
  await openDesk(page, desk);
  const user = sim.org.users[1];
  expect(user).toBeDefined();

  await toQueryStep(page);
  const include = page.locator('input#query-include');
  await include.click();
  await page.getByRole('option', { name: 'Only favorites of the user' }).click();
  await include.press('Escape');
  // Refused in the window, under the field to fill, before anything is asked of Omni.
  await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
  await expect(page.locator('#query-userId-error')).toContainText('Omni needs a user with “Only favorites”');
  expect(sim.calls.filter((c) => c.path.endsWith('/documents'))).toEqual([]);

  await pickUser(page, 'userId', user?.displayName as string);
  await expect(page.locator('#query-userId-error')).toHaveCount(0);
  await start(page);
  await expect(jobDetail(page, 'ready')).toBeVisible();
  const expected = sim.expected('v1', {
    sortField: 'name',
    sortDirection: 'asc',
    include: 'onlyFavorites',
    userId: user?.id as string,
  });
  expect(expected.length).toBeGreaterThan(0);
  await expect(page.getByTestId('preview-row-count')).toContainText(`${expected.length} row`);
  const asked = sim.calls.filter((c) => c.path.endsWith('/documents')).at(-1)?.query;
  expect(asked).toMatchObject({ userId: user?.id, include: 'labels,onlyFavorites' });
});
