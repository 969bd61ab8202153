/**
 * Documents as rows. Columns keep one order whatever each document holds: a document outside any folder
 * has empty folder columns rather than a different shape, and labels, sent as names (v1 OpenAPI) or as
 * {name, verified} objects (the reference doc), become a list of names.
 */
import { setOwn, type Row } from '../../../shared/records.ts';

const FOLDER_KEYS = ['id', 'name', 'path', 'scope'] as const;
const FIRST = ['identifier', 'name', 'type', 'scope', 'updatedAt', 'deleted', 'folder', 'owner', 'labels'];

/** A value's own keys when it is an object (an array included), else none. */
export const fieldsOf = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' ? (v as Record<string, unknown>) : {};

export function labelNames(labels: unknown): string[] {
  if (!Array.isArray(labels)) return [];
  return labels
    .map((l: unknown) => (typeof l === 'string' ? l : fieldsOf(l).name))
    .filter((n): n is string => typeof n === 'string');
}

export function documentRow(raw: unknown): Row {
  const doc = fieldsOf(raw);
  const folder = fieldsOf(doc.folder);
  const owner = fieldsOf(doc.owner);
  const row: Row = {};
  for (const key of FIRST) row[key] = doc[key] ?? null;
  row.folder = { ...Object.fromEntries(FOLDER_KEYS.map((k) => [k, folder[k] ?? null])), ...folder };
  row.owner = { id: owner.id ?? null, name: owner.name ?? null, ...owner };
  row.labels = labelNames(doc.labels);
  for (const [key, value] of Object.entries(doc)) if (!Object.hasOwn(row, key)) setOwn(row, key, value);
  return row;
}
