import { ConnectionNameSchema, type Connection } from '../../../shared/api.ts';
import { DEFAULT_BASE_URLS, type ProviderId } from '../../../shared/providers/index.ts';
import type { FieldSpec, ProviderDefinition } from '../../../shared/providers/types.ts';
import { issuesByField } from '../../ui/zod-issues.ts';

/** What the inputs hold: text for text-like fields, a flag for booleans. Secrets are never here. */
export type FormValues = Record<string, string | boolean>;

export function settingFields(p: ProviderDefinition): FieldSpec[] {
  return p.connectionFields.filter((f) => f.kind !== 'secret' && !p.secretFields.includes(f.key));
}

export function secretFields(p: ProviderDefinition): FieldSpec[] {
  return p.connectionFields.filter((f) => f.kind === 'secret' || p.secretFields.includes(f.key));
}

/** "API key (optional)" is a form label; a badge saying whether the key is stored needs only "API key". */
export function secretLabel(label: string): string {
  return label.replace(/\s*\(optional\)\s*$/i, '');
}

export function initialValues(p: ProviderDefinition, c?: Connection): FormValues {
  const out: FormValues = {};
  for (const f of settingFields(p)) {
    const v = c?.settings[f.key];
    if (f.kind === 'boolean') out[f.key] = v === true;
    else out[f.key] = v === undefined || v === null ? '' : String(v);
  }
  return out;
}

/** Text from the inputs to the settings the provider's schema expects; empty inputs are left out. */
export function settingsFromValues(p: ProviderDefinition, values: FormValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of settingFields(p)) {
    const v = values[f.key];
    if (typeof v === 'boolean') {
      out[f.key] = v;
    } else if (v !== undefined && v.trim() !== '') {
      // A number field with something that is not a number is passed on as text, so the schema says so.
      out[f.key] = f.kind === 'number' && Number.isFinite(Number(v)) ? Number(v) : v.trim();
    }
  }
  return out;
}

/** Messages per field key ('name' for the connection name), as the main process would judge the input. */
export function validateConnection(
  p: ProviderDefinition,
  name: string,
  values: FormValues,
): Record<string, string> {
  const errors: Record<string, string> = {};
  const n = ConnectionNameSchema.safeParse(name);
  if (!n.success) errors.name = n.error.issues[0]?.message ?? 'Give the connection a name';
  // The main process fills the vendor's address when none is given; judge the same input it would.
  // Only for a provider that has such a default: a strict schema refuses a key it does not know.
  const defaultUrl = DEFAULT_BASE_URLS[p.id as ProviderId];
  const defaults = defaultUrl ? { baseUrl: defaultUrl } : {};
  // An empty text box is judged as '' (not as missing), so the schema's own "enter your ..." message shows.
  const blanks = Object.fromEntries(
    settingFields(p)
      .filter((f) => f.kind === 'text' && f.required)
      .map((f) => [f.key, '']),
  );
  const parsed = p.connectionSchema.safeParse({ ...blanks, ...defaults, ...settingsFromValues(p, values) });
  const keys = settingFields(p).map((f) => f.key);
  return { ...errors, ...(parsed.success ? {} : issuesByField(parsed.error, keys)) };
}
