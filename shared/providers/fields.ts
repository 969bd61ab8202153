import { z } from 'zod';
import type { FieldSpec } from './types.ts';

/** An address that may be left empty (a vendor default applies), else http(s). */
export const optionalUrl = z.union([
  z.literal(''),
  z.url({ protocol: /^https?$/, message: 'Enter an https:// address' }),
]);

/** A field as a provider lists it: leaving out `required` makes it optional. */
type ListedField = Omit<FieldSpec, 'required'> & Partial<Pick<FieldSpec, 'required'>>;

/** The listed fields, `required: false` filled in after `kind` where it was left out. */
export function fieldList(fields: readonly ListedField[]): FieldSpec[] {
  return fields.map((f) => {
    if (f.required !== undefined) return { ...f, required: f.required };
    const { key, label, kind, ...rest } = f;
    return { key, label, kind, required: false, ...rest };
  });
}

/** The "Region" select of a vendor with regional hosts, plus the choice of custom addresses. */
export function regionField(regions: Record<string, { label: string }>, customLabel: string): FieldSpec {
  return {
    key: 'region',
    label: 'Region',
    kind: 'select',
    required: true,
    options: [
      ...Object.entries(regions).map(([value, r]) => ({ value, label: r.label })),
      { value: 'custom', label: customLabel },
    ],
  };
}

/**
 * Whether text can go out in an HTTP header. A line break would end the header (or start a forged one) and
 * any other control character is refused by the HTTP stack, so such a value is refused where it is typed.
 */
export const isHeaderText = (s: string): boolean => ![...s].some((ch) => ch < ' ' || ch === '\x7f');

/** The message for a value that fails isHeaderText. */
export function headerTextMessage(header: string): string {
  return `Remove the line break or other control character: the value is sent as the ${header} header`;
}
