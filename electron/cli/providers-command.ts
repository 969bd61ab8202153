import { PROVIDERS } from '../../shared/providers/index.ts';
import type { FieldSpec } from '../../shared/providers/types.ts';
import type { CliIO } from './io.ts';

const WIRE_WORDS = {
  'utc-day': 'UTC days, YYYY-MM-DD',
  'utc-ms': 'UTC times, YYYY-MM-DDTHH:MM:SS.sssZ',
  'utc-s': 'UTC times, YYYY-MM-DDTHH:MM:SSZ',
  offset: 'times with an offset, YYYY-MM-DDTHH:MM:SS+HH:MM',
} as const;

/** A date range's keys in the recipe: a period, or two fixed ends in the vendor's form. */
function rangeLine(f: FieldSpec): string {
  const r = f.dateRange;
  if (!r) return '';
  const periods = r.periods.map((p) => p.value).join(', ');
  return `  ${r.period}: one of ${periods}; or ${r.from} and ${r.to} as ${WIRE_WORDS[r.wire]}${r.endIncluded ? ' (end included)' : ' (end not included)'}`;
}

function describeField(f: FieldSpec): string {
  const flags = [
    f.required ? 'required' : 'optional',
    f.kind === 'secret' ? 'secret, kept in the keychain' : f.kind,
  ];
  const opts = f.options
    ? `  one of: ${f.options.map((o) => o.value).join(', ')}${f.freeText ? ' (or another)' : ''}`
    : rangeLine(f);
  return `    ${f.key.padEnd(22)} ${f.label} (${flags.join(', ')})${f.help ? ` — ${f.help}` : ''}${opts ? `\n    ${''.padEnd(22)}${opts}` : ''}`;
}

export function providersCommand(io: CliIO, json: boolean): number {
  if (json) {
    const out = PROVIDERS.map((p) => ({
      id: p.id,
      name: p.name,
      vendor: p.vendor,
      summary: p.summary,
      connectionFields: p.connectionFields,
      secretFields: p.secretFields,
      queryFields: p.queryFields,
      defaultQuery: p.defaultQuery,
      presets: p.presets,
    }));
    io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  }
  for (const p of PROVIDERS) {
    io.stdout.write(`${p.id} — ${p.vendor}: ${p.summary}\n  Connection:\n`);
    for (const f of p.connectionFields) io.stdout.write(`${describeField(f)}\n`);
    io.stdout.write('  Query:\n');
    for (const f of p.queryFields) io.stdout.write(`${describeField(f)}\n`);
    io.stdout.write(`  Example query: ${JSON.stringify(p.defaultQuery)}\n\n`);
  }
  return 0;
}
