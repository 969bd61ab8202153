import { z } from 'zod';
import type { FieldSpec } from './types.ts';

/** An address that may be left empty (a vendor default applies), else http(s). */
export const optionalUrl = z.union([
  z.literal(''),
  z.url({ protocol: /^https?$/, message: 'Enter an https:// address' }),
]);

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
