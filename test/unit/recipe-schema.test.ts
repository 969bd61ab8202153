import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AppService } from '../../electron/app/service.ts';
import {
  RECIPE_SCHEMA_FILE,
  recipeJsonSchema,
  recipeJsonSchemaText,
} from '../../electron/cli/write-schema.ts';
import { MemorySecretStore } from '../../electron/secrets/memory-store.ts';
import { RecipeSchema } from '../../shared/jobs.ts';
import { findProvider, PROVIDER_IDS } from '../../shared/providers/index.ts';

type Schema = Record<string, unknown>;
const REPO = path.resolve(import.meta.dirname, '../..');

/** The keywords the checker below understands; the test fails if the schema starts using another. */
const KNOWN_KEYWORDS = new Set(
  (
    '$schema $id $ref $defs title description default examples type enum const properties required ' +
    'additionalProperties propertyNames items minItems maxItems minLength maxLength pattern ' +
    'minimum maximum anyOf oneOf allOf if then else'
  ).split(' '),
);

function keywordsOf(schema: unknown, out = new Set<string>()): Set<string> {
  if (!schema || typeof schema !== 'object') return out;
  if (Array.isArray(schema)) {
    for (const s of schema) keywordsOf(s, out);
    return out;
  }
  for (const [k, v] of Object.entries(schema)) {
    out.add(k);
    if (k === 'properties' || k === '$defs')
      for (const sub of Object.values(v as Schema)) keywordsOf(sub, out);
    else if (!['enum', 'const', 'default', 'examples', 'required'].includes(k)) keywordsOf(v, out);
  }
  return out;
}

const typeOk: Record<string, (v: unknown) => boolean> = {
  object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  array: Array.isArray,
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  integer: Number.isInteger,
  boolean: (v) => typeof v === 'boolean',
  null: (v) => v === null,
};

/** A small JSON Schema checker for the keywords above: enough to show the schema says what the app does. */
function check(schema: Schema | boolean, value: unknown, root: Schema, at = '$'): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${at}: not allowed`];
  const errors: string[] = [];
  const s = schema;
  if (typeof s.$ref === 'string') {
    const target = s.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((n, k) => (n as Schema)[k], root);
    errors.push(...check(target as Schema, value, root, at));
  }
  if (typeof s.type === 'string' && !typeOk[s.type]?.(value)) return [`${at}: expected ${s.type}`];
  if ('const' in s && !isDeepStrictEqual(s.const, value))
    errors.push(`${at}: must be ${JSON.stringify(s.const)}`);
  if (Array.isArray(s.enum) && !s.enum.some((e) => isDeepStrictEqual(e, value)))
    errors.push(`${at}: must be one of ${JSON.stringify(s.enum)}`);
  if (typeof value === 'string') {
    const length = [...value].length;
    if (typeof s.minLength === 'number' && length < s.minLength) errors.push(`${at}: too short`);
    if (typeof s.maxLength === 'number' && length > s.maxLength) errors.push(`${at}: too long`);
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value))
      errors.push(`${at}: does not match ${s.pattern}`);
  }
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) errors.push(`${at}: below ${s.minimum}`);
    if (typeof s.maximum === 'number' && value > s.maximum) errors.push(`${at}: above ${s.maximum}`);
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) errors.push(`${at}: too few items`);
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) errors.push(`${at}: too many items`);
    if (s.items !== undefined)
      value.forEach((v, i) => errors.push(...check(s.items as Schema, v, root, `${at}[${i}]`)));
  }
  if (typeOk.object?.(value)) {
    const obj = value as Record<string, unknown>;
    const props = (s.properties ?? {}) as Record<string, Schema>;
    for (const r of (s.required ?? []) as string[]) if (!(r in obj)) errors.push(`${at}.${r}: required`);
    for (const [k, v] of Object.entries(obj)) {
      const sub = props[k] ?? (s.additionalProperties as Schema | boolean | undefined);
      if (sub !== undefined) errors.push(...check(sub, v, root, `${at}.${k}`));
      if (s.propertyNames) errors.push(...check(s.propertyNames as Schema, k, root, `${at}.${k} (name)`));
    }
  }
  const branches = (key: string) => ((s[key] ?? []) as Schema[]).map((b) => check(b, value, root, at));
  if (s.anyOf && !branches('anyOf').some((e) => e.length === 0))
    errors.push(`${at}: matches no anyOf branch`);
  if (s.oneOf && branches('oneOf').filter((e) => e.length === 0).length !== 1)
    errors.push(`${at}: must match exactly one oneOf branch`);
  for (const e of branches('allOf')) errors.push(...e);
  if (s.if !== undefined) {
    const matched = check(s.if as Schema, value, root, at).length === 0;
    const next = matched ? s.then : s.else;
    if (next !== undefined) errors.push(...check(next as Schema, value, root, at));
  }
  return errors;
}

const schema = recipeJsonSchema();
const validate = (value: unknown) => check(schema, value, schema);

const example = {
  version: 1,
  name: 'nightly communications',
  connection: 'acme',
  provider: 'omniq',
  query: { index: 'communications', filterBy: { createdAt: 'since-last-run', platform: 'whatsapp' } },
  output: {
    format: 'csv',
    path: 'exports/c.csv',
    columns: ['createdAt', '_id'],
    csv: { delimiter: ';', bom: true },
  },
};

/** What the app itself accepts: the recipe, then the query against its provider. */
function appAccepts(value: unknown): boolean {
  const r = RecipeSchema.safeParse(value);
  if (!r.success) return false;
  const provider = findProvider(r.data.provider);
  return !!provider && provider.querySchema.safeParse(r.data.query).success;
}

describe('docs/recipe.schema.json', () => {
  it('is what the code generates now', () => {
    const onDisk = readFileSync(RECIPE_SCHEMA_FILE, 'utf8');
    expect(onDisk, 'docs/recipe.schema.json is stale: run npm run schema').toBe(recipeJsonSchemaText());
    expect(RECIPE_SCHEMA_FILE).toBe(path.join(REPO, 'docs', 'recipe.schema.json'));
  });

  it('has an id, a title, a description and only keywords this test can check', () => {
    expect(schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: expect.stringMatching(/^[a-z][a-z0-9+.-]*:\S+$/),
      title: 'Export Desk recipe',
      description: expect.stringContaining('exportdesk export'),
      type: 'object',
      additionalProperties: false,
    });
    expect([...keywordsOf(schema)].filter((k) => !KNOWN_KEYWORDS.has(k))).toEqual([]);
  });

  it('requires what the app requires, and leaves fields with defaults optional', () => {
    expect([...(schema.required as string[])].sort()).toEqual(['connection', 'provider', 'query', 'version']);
    const props = schema.properties as Record<string, Schema>;
    expect(props.provider?.enum).toEqual(PROVIDER_IDS);
    expect(props.version?.const).toBe(1);
    expect(props.output?.default).toBeDefined();
  });

  it('keys the query schema on the provider', () => {
    const allOf = schema.allOf as Schema[];
    expect(allOf).toHaveLength(PROVIDER_IDS.length);
    for (const id of PROVIDER_IDS) {
      const rule = allOf.find((r) =>
        isDeepStrictEqual((r.if as Schema).properties, { provider: { const: id } }),
      );
      const ref = ((rule?.then as Schema).properties as Record<string, Schema>).query?.$ref as string;
      expect(ref).toMatch(/^#\/\$defs\//);
      expect((schema.$defs as Record<string, Schema>)[ref.slice('#/$defs/'.length)]).toBeDefined();
    }
  });

  it('accepts the example recipes, including the one in docs/recipes.md', () => {
    expect(validate(example)).toEqual([]);
    expect(validate({ version: 1, connection: 'a', provider: 'omniq', query: { index: 'agents' } })).toEqual(
      [],
    );
    const doc = readFileSync(path.join(REPO, 'docs', 'recipes.md'), 'utf8');
    const block = /```json\n([\s\S]*?)\n```/.exec(doc)?.[1];
    expect(block).toBeDefined();
    const fromDocs = JSON.parse(block ?? '') as unknown;
    expect(validate(fromDocs)).toEqual([]);
    expect(appAccepts(fromDocs)).toBe(true);
  });

  it.each([
    ['no version', { ...example, version: undefined }, '$.version: required'],
    ['version 2', { ...example, version: 2 }, '$.version: must be 1'],
    ['no connection', { ...example, connection: undefined }, '$.connection: required'],
    ['an empty connection name', { ...example, connection: '' }, '$.connection: too short'],
    ['an unknown provider', { ...example, provider: 'acme' }, '$.provider: must be one of'],
    ['no query', { ...example, query: undefined }, '$.query: required'],
    ['an unknown top-level field', { ...example, apiKey: 'x' }, '$.apiKey: not allowed'],
    ['an OmniQ query without index', { ...example, query: { filterBy: {} } }, '$.query.index: required'],
    ['an OmniQ index with a space', { ...example, query: { index: 'a b' } }, '$.query.index: does not match'],
    [
      'an unknown OmniQ query field',
      { ...example, query: { index: 'a', size: 5 } },
      '$.query.size: not allowed',
    ],
    [
      'a createdAt range without "to"',
      { ...example, query: { index: 'a', filterBy: { createdAt: { from: '2025-01-01T00:00:00Z' } } } },
      '$.query.filterBy.createdAt: matches no anyOf branch',
    ],
    [
      'a nested filter value',
      { ...example, query: { index: 'a', filterBy: { platform: { $ne: 'x' } } } },
      '$.query.filterBy.platform: matches no anyOf branch',
    ],
    ['an unknown format', { ...example, output: { format: 'xml' } }, '$.output.format: must be one of'],
    [
      'a two-character delimiter',
      { ...example, output: { csv: { delimiter: '||' } } },
      '$.output.csv.delimiter',
    ],
  ])('rejects %s, as the app does', (_name, recipe, error) => {
    const value = JSON.parse(JSON.stringify(recipe)) as unknown; // drops the undefined fields
    expect(validate(value).join('\n')).toContain(error);
    expect(appAccepts(value)).toBe(false);
  });

  it('lets a recipe name its schema with "$schema", and the app runs it', async () => {
    const withSchema = { $schema: '../docs/recipe.schema.json', ...example };
    expect(validate(withSchema)).toEqual([]);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-schema-'));
    const app = await AppService.open({ dataDir: dir, secrets: new MemorySecretStore('test') });
    try {
      const recipe = app.parseRecipe(withSchema);
      expect(recipe).not.toHaveProperty('$schema');
      expect(recipe.connection).toBe('acme');
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
