/**
 * The recipe's JSON Schema, for editors (completion and checks while writing a recipe) and for other
 * tools that produce recipes. It is generated from the same zod schemas the app validates with, so it
 * cannot drift: `npm run schema` rewrites docs/recipe.schema.json and a test fails when it is stale.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { RecipeSchema } from '../../shared/jobs.ts';
import { PROVIDERS } from '../../shared/providers/index.ts';
import type { FieldSpec, ProviderDefinition } from '../../shared/providers/types.ts';

type JsonSchema = Record<string, unknown>;

export const RECIPE_SCHEMA_ID = 'urn:exportdesk:schema:recipe:1';
export const RECIPE_SCHEMA_FILE = fileURLToPath(new URL('../../docs/recipe.schema.json', import.meta.url));

// `io: 'input'`: what a person writes, so fields with a default are optional rather than required.
const toJson = (schema: z.ZodType): JsonSchema => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as JsonSchema;
  return rest;
};

const queryDef = (id: string) => `${id}Query`;

/** Puts a field's label and help where an editor shows them on hover, and its choices as examples. */
function describeFields(schema: JsonSchema, fields: readonly FieldSpec[]): void {
  for (const field of fields) {
    let node: JsonSchema | undefined = schema;
    for (const key of field.key.split('.')) {
      node = (node?.properties as Record<string, JsonSchema> | undefined)?.[key];
    }
    if (!node) continue;
    node.title = field.label;
    if (field.help) node.description = field.help;
    if (field.options) node.examples = field.options.map((o) => o.value);
  }
}

function querySchema(p: ProviderDefinition): JsonSchema {
  const schema = toJson(p.querySchema);
  // Nested $defs would hold references that only resolve at the top of their own document.
  if ('$defs' in schema)
    throw new Error(`The ${p.id} query schema uses shared definitions; inline them to include it here.`);
  describeFields(schema, p.queryFields);
  return { description: `The ${p.name} query: ${p.summary}`, ...schema };
}

/** The JSON Schema of a recipe, with `query` checked against the schema of the recipe's provider. */
export function recipeJsonSchema(): JsonSchema {
  const base = toJson(RecipeSchema);
  const properties = base.properties as Record<string, JsonSchema>;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: RECIPE_SCHEMA_ID,
    title: 'Export Desk recipe',
    description:
      'A saved export: which connection to use, what to ask the vendor and how to write the file. ' +
      'Run it with `exportdesk export RECIPE.json`. Never holds a secret: those stay with the connection.',
    ...base,
    properties: {
      $schema: { type: 'string', description: 'Where editors find this schema.' },
      ...properties,
      version: { ...properties.version, description: 'The recipe format; always 1.' },
      name: { ...properties.name, description: 'Names the recipe, e.g. for since-last-run.' },
      connection: {
        ...properties.connection,
        description: 'The name of a connection (exportdesk connections list).',
      },
      provider: {
        type: 'string',
        enum: PROVIDERS.map((p) => p.id),
        description: 'The vendor; it must match the connection’s (exportdesk providers).',
      },
      query: {
        type: 'object',
        description: 'The vendor’s own request fields; checked against the provider’s query schema.',
      },
      output: { ...properties.output, description: 'How the file is written.' },
    },
    allOf: PROVIDERS.map((p) => ({
      if: { properties: { provider: { const: p.id } }, required: ['provider'] },
      then: { properties: { query: { $ref: `#/$defs/${queryDef(p.id)}` } } },
    })),
    $defs: Object.fromEntries(PROVIDERS.map((p) => [queryDef(p.id), querySchema(p)])),
  };
}

export function recipeJsonSchemaText(): string {
  return `${JSON.stringify(recipeJsonSchema(), null, 2)}\n`;
}

const invokedDirectly =
  process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  writeFileSync(RECIPE_SCHEMA_FILE, recipeJsonSchemaText());
  console.log(`Wrote ${path.relative(process.cwd(), RECIPE_SCHEMA_FILE)}`);
}
