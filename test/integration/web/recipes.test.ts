/**
 * The recipes folder over the browser-mode socket: the page names a file, never a path; a saved recipe
 * never overwrites another; an imported file that is not a recipe is refused with what to fix.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openClient, startHarness, type Harness, type RpcClient } from './harness.ts';

let h: Harness;
let client: RpcClient;

beforeEach(async () => {
  h = await startHarness();
  client = await openClient(h);
});
afterEach(async () => {
  client.ws.close();
  await h.close();
});

const recipe = { version: 1, connection: 'Acme', provider: 'omniq', query: { index: 'agents' } };

describe('recipes over the socket', () => {
  it('refuses a file name that is a path, and writes nothing outside the folder', async () => {
    for (const fileName of ['../evil.json', 'a/b.json', '..\\evil.json', '.hidden.json', 'x.txt']) {
      const reply = await client.call('recipes.save', { recipe, fileName });
      expect(reply.error, fileName).toMatchObject({ kind: 'validation' });
    }
    expect(existsSync(path.join(h.app.paths.root, 'evil.json'))).toBe(false);
    expect(existsSync(h.app.paths.recipes)).toBe(false);
  });

  it('saves under the next free name and lists what it saved, newest first', async () => {
    const first = await client.ok('recipes.save', { recipe, fileName: 'agents.recipe.json' });
    const second = await client.ok('recipes.save', { recipe, fileName: 'agents.recipe.json' });
    expect([first, second]).toMatchObject([
      { fileName: 'agents.recipe.json' },
      { fileName: 'agents-2.recipe.json' },
    ]);
    expect(readdirSync(h.app.paths.recipes).sort()).toEqual(['agents-2.recipe.json', 'agents.recipe.json']);
    const listed = (await client.ok('recipes.list', {})) as { recipes: { fileName: string }[] };
    expect(listed.recipes.map((r) => r.fileName).sort()).toEqual([
      'agents-2.recipe.json',
      'agents.recipe.json',
    ]);
  });

  it('removes only a file the recipes folder lists, never a path', async () => {
    await client.ok('recipes.save', { recipe, fileName: 'agents.recipe.json' });
    writeFileSync(path.join(h.app.paths.root, 'keep.json'), '{}');
    for (const fileName of ['../keep.json', 'a/b.json', '..\\keep.json']) {
      const reply = await client.call('recipes.remove', { fileName });
      expect(reply.error, fileName).toMatchObject({ kind: 'validation' });
    }
    expect(await client.ok('recipes.remove', { fileName: 'other.recipe.json' })).toEqual({ removed: false });
    expect(await client.ok('recipes.remove', { fileName: 'agents.recipe.json' })).toEqual({ removed: true });
    expect(await client.ok('recipes.remove', { fileName: 'agents.recipe.json' })).toEqual({ removed: false });
    expect(readdirSync(h.app.paths.recipes)).toEqual([]);
    expect(existsSync(path.join(h.app.paths.root, 'keep.json'))).toBe(true);
  });

  it('imports the text of a picked file, or says what to fix in it', async () => {
    const bad = await client.call('recipes.import', {
      file: { name: 'C:\\Users\\ana\\bad.json', text: JSON.stringify({ ...recipe, query: { index: '' } }) },
    });
    expect(bad.error).toEqual({
      kind: 'user',
      message: expect.stringContaining('bad.json is not a recipe Export Desk can run'),
    });
    expect((bad.error as { message: string }).message).toContain('query.index: Choose the entity to export');
    const good = await client.ok('recipes.import', {
      file: { name: 'agents.json', text: JSON.stringify(recipe) },
    });
    expect(good).toMatchObject({ imported: true, fileName: 'agents.json', recipe: { connection: 'Acme' } });
    // Browser mode has no open dialog: an import names its file.
    const none = await client.call('recipes.import', {});
    expect(none.error).toEqual({ kind: 'user', message: 'Pick the recipe file to import.' });
  });
});
