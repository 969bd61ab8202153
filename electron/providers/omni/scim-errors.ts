/**
 * Omni's 400 and 404 answers carry a SCIM error body, `{detail, schemas, status}`. The detail names the
 * query parameter it is about; since the recipe's query uses the same names, the error can name the
 * field to show it next to, in plain words.
 */
import { OmniQuerySchema } from '../../../shared/providers/omni.ts';
import { HttpError } from '../../http/errors.ts';
import { ExportError } from '../../jobs/errors.ts';
import { bodyField } from '../vendor-errors.ts';

/** Query fields a detail can be about: the query's own parameter names. */
const FIELDS = Object.keys(OmniQuerySchema.shape);

const listOf = (expected: string): string => expected.replaceAll("'", '').replace(/\s*\|\s*/g, ', ');

/** Plain words for the details Omni sends; anything else is passed on as Omni said it. */
export function explainDetail(detail: string): { field?: string; message: string; hint: string } {
  let m = /User with id (\S+) does not exist/i.exec(detail);
  if (m) {
    // Omni's detail for an unknown creator names no parameter; one about userId starts with "userId:".
    const field = detail.startsWith('userId:') ? 'userId' : 'creatorId';
    return {
      field,
      message: `No user with the id ${m[1]} exists in this Omni organisation.`,
      hint: `Choose the ${field === 'userId' ? 'user' : 'creator'} again from the list: the user may have been removed.`,
    };
  }
  m = /Folder with id (\S+) does not exist/i.exec(detail);
  if (m)
    return {
      field: 'folderId',
      message: `No folder with the id ${m[1]} exists in this Omni organisation.`,
      hint: 'Check the folder id (Omni shows it in the folder’s settings).',
    };
  m = /Unrecognized key\(s\) in object: '([^']+)'/i.exec(detail);
  if (m)
    return {
      ...fieldOf(m[1] as string),
      message: `This Omni API path does not accept the parameter ${m[1]}.`,
      hint: 'Clear this field, or switch the connection to the v1 API path.',
    };
  const field = fieldOf(detail).field;
  m = /Invalid enum value\. Expected (.+), received '(.*)'/i.exec(detail);
  if (m)
    return {
      ...(field ? { field } : {}),
      message: `Omni does not accept “${m[2]}” here; it accepts ${listOf(m[1] as string)}.`,
      hint: 'Choose one of the values Omni accepts.',
    };
  if (/invalid uuid/i.test(detail))
    return {
      ...(field ? { field } : {}),
      message: 'Omni expects an id in UUID form here, such as 9e8719d9-276a-4964-9395-a493189a247c.',
      hint: field === 'creatorId' ? 'Choose the creator from the list.' : 'Paste the id as Omni shows it.',
    };
  return {
    ...(field ? { field } : {}),
    message: `Omni refused the request: ${detail}`,
    hint: 'Correct the query and run the export again.',
  };
}

function fieldOf(text: string): { field?: string } {
  const field = FIELDS.find((f) => new RegExp(`(^|[^A-Za-z])${f}([^A-Za-z]|$)`).test(text));
  return field ? { field } : {};
}

/** An ExportError for a SCIM 400/404 answer, or undefined when `e` is something else. */
export function scimError(vendor: string, step: string, e: unknown): ExportError | undefined {
  if (!(e instanceof HttpError) || e.kind !== 'status' || (e.status !== 400 && e.status !== 404))
    return undefined;
  const detail = bodyField(e, 'detail');
  if (typeof detail !== 'string' || !detail.trim()) return undefined;
  const explained = explainDetail(detail.trim());
  // A 404 about no parameter is a wrong address, which the generic hint covers.
  if (e.status === 404 && !explained.field) return undefined;
  return new ExportError({
    vendor,
    step,
    message: explained.message,
    hint: explained.hint,
    status: e.status,
    ...(explained.field ? { field: explained.field } : {}),
    cause: e,
  });
}
