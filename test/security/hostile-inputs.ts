/**
 * Arbitraries for input a compromised or buggy page could send: wrong types, huge strings, deep nesting
 * and prototype keys, aimed at the field names each request really has.
 */
import fc from 'fast-check';
import type { z } from 'zod';

export const HUGE = 'A'.repeat(4 * 1024 * 1024);

/** An object or array nested `depth` levels, built without recursion. */
export function nested(depth: number, kind: 'object' | 'array'): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = kind === 'object' ? { a: value, id: value } : [value];
  return value;
}

/** Own properties named like the prototype chain, as JSON.parse (and structured clone) can deliver them. */
export function prototypeKeys(fields: readonly string[]): unknown[] {
  const inner = '{"polluted": true, "toString": "boom"}';
  const sets = [
    `{"__proto__": ${inner}}`,
    `{"constructor": {"prototype": ${inner}}}`,
    `{"prototype": ${inner}}`,
    ...fields.map((f) => `{"${f}": {"__proto__": ${inner}}, "__proto__": {"${f}": "x"}}`),
  ];
  return sets.map((s) => JSON.parse(s) as unknown);
}

/** The top-level field names of a request's input schema, when it is an object. */
export function fieldsOf(schema: z.ZodType): string[] {
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  return shape && typeof shape === 'object' ? Object.keys(shape) : [];
}

/** Anything at all, and objects with the request's own keys holding values of the wrong kind. */
export function hostileInput(fields: readonly string[]): fc.Arbitrary<unknown> {
  const wrongValue = fc.oneof(
    fc.anything({ maxDepth: 3 }),
    fc.constant(HUGE),
    fc.constant(nested(5_000, 'object')),
    fc.constant(nested(5_000, 'array')),
    fc.constantFrom(NaN, Infinity, -1, 2 ** 53 + 1, -0),
    fc.string({ unit: 'binary', maxLength: 200 }),
  );
  const keyed =
    fields.length === 0
      ? fc.dictionary(fc.string(), wrongValue, { minKeys: 1, maxKeys: 4 })
      : fc.record(Object.fromEntries(fields.map((f) => [f, wrongValue])), { requiredKeys: [] });
  return fc.oneof(
    { arbitrary: fc.anything({ maxDepth: 4, withNullPrototype: true }), weight: 3 },
    { arbitrary: keyed, weight: 4 },
    { arbitrary: fc.constantFrom(...prototypeKeys(fields)), weight: 1 },
    { arbitrary: fc.constantFrom(HUGE, nested(100_000, 'object'), nested(100_000, 'array')), weight: 1 },
  );
}
