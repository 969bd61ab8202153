/**
 * An independent reference for what an export must write, computed straight from the simulator's records
 * with none of the engine's code: its own flattening, its own RFC 4180 quoting, its own formula guard.
 */
type Value = unknown;

function isObject(v: Value): v is Record<string, Value> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const MARK = '@@bigint@@';
function json(v: Value): string {
  return JSON.stringify(v, (_k, x: Value) => (typeof x === 'bigint' ? `${MARK}${x.toString()}` : x)).replace(
    new RegExp(`"${MARK}(-?\\d+)"`, 'g'),
    '$1',
  );
}

function flatten(
  row: Record<string, Value>,
  prefix = '',
  out = new Map<string, Value>(),
): Map<string, Value> {
  for (const [k, v] of Object.entries(row)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (isObject(v)) flatten(v, key, out);
    else out.set(key, v);
  }
  return out;
}

export function expectedColumns(rows: Record<string, Value>[]): string[] {
  const seen = new Set<string>();
  for (const r of rows) for (const k of flatten(r).keys()) seen.add(k);
  return [...seen];
}

function text(v: Value): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return json(v);
}

const number = (s: string): boolean => /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s);

function guard(s: string): string {
  if (/^[=+\-@\t\r\0＝＋－＠]/.test(s)) return number(s) ? s : `'${s}`;
  // A formula behind leading white space or zero-width characters, unless a plain number follows them.
  const rest = s.replace(/^[\s\u0085\u180E\u200B-\u200D\u2060]+/, '');
  return rest !== s && /^[=+\-@＝＋－＠]/.test(rest) && !number(rest) ? `'${s}` : s;
}

function quote(s: string, delimiter: string): string {
  return s.includes(delimiter) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function expectedCsv(
  rows: Record<string, Value>[],
  opts: { delimiter?: string; eol?: string; bom?: boolean; guard?: boolean } = {},
): string {
  const d = opts.delimiter ?? ',';
  const eol = opts.eol ?? '\r\n';
  const cols = expectedColumns(rows);
  const cell = (s: string) => quote(opts.guard === false ? s : guard(s), d);
  const lines = [cols.map(cell).join(d)];
  for (const r of rows) {
    const flat = flatten(r);
    lines.push(cols.map((c) => cell(text(flat.get(c)))).join(d));
  }
  return `${opts.bom ? '\ufeff' : ''}${lines.join(eol)}${eol}`;
}

export function expectedJson(rows: Record<string, Value>[]): string {
  return rows.length === 0 ? '[]\n' : `[\n${rows.map(json).join(',\n')}\n]\n`;
}

export function expectedNdjson(rows: Record<string, Value>[]): string {
  return rows.map((r) => `${json(r)}\n`).join('');
}
