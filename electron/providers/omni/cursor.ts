/**
 * Omni's cursor is the sort value of a page's last document ("Product Totals"), and the next page starts
 * after that value, while no sort field is unique: documents sharing the last value that did not fit on
 * the page would be skipped. So the next page is asked for from the page's previous distinct value
 * instead, and the documents of the last value are read again (and kept once). That works while such a
 * group fits on one page; when a whole page shares one value, there is no earlier value to ask from.
 */
import type { OmniQuery } from '../../../shared/providers/omni.ts';
import { fieldsOf } from './records.ts';

/** A document's sort value as Omni writes it in a cursor, or undefined when the document does not show it. */
function sortValue(doc: unknown, field: string): string | undefined {
  const d = fieldsOf(doc);
  const counts = fieldsOf(d._count);
  const v = field === 'favorites' ? counts.favorites : field === 'visits' ? counts.views : d[field];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

export interface NextPage {
  cursor: string;
  /** Identifiers of this page that the next page sends again. */
  again: string[];
  /** Documents sharing the boundary value may be skipped: the whole page had one value, or none showed. */
  mayMiss: boolean;
}

export function nextPage(q: Pick<OmniQuery, 'sortField'>, records: unknown[], nextCursor: string): NextPage {
  const values = records.map((r) => sortValue(r, q.sortField));
  const last = values.at(-1);
  // A cursor that is not the last document's value is Omni's own position: nothing to do.
  if (last !== nextCursor) return { cursor: nextCursor, again: [], mayMiss: last === undefined };
  let i = values.length - 1;
  while (i >= 0 && values[i] === last) i--;
  if (i < 0) return { cursor: nextCursor, again: [], mayMiss: true };
  const again = records
    .slice(i + 1)
    .map((r) => fieldsOf(r).identifier)
    .filter((id): id is string => typeof id === 'string');
  return { cursor: values[i] as string, again, mayMiss: false };
}
