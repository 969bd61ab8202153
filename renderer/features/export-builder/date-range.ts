import {
  isRelativeDate,
  RELATIVE_DATES,
  resolveRelativeDate,
  type RelativeDate,
} from '../../../shared/dates.ts';

export const RELATIVE_LABELS: Record<RelativeDate, string> = {
  today: 'Today',
  yesterday: 'Yesterday',
  'last-7-days': 'Last 7 days',
  'this-month': 'This month',
  'since-last-run': 'Since the last run',
};

export type PeriodChoice = '' | RelativeDate | 'custom';

export const PERIOD_OPTIONS: { value: PeriodChoice; label: string }[] = [
  { value: '', label: 'Any time' },
  ...RELATIVE_DATES.map((d) => ({ value: d, label: RELATIVE_LABELS[d] })),
  { value: 'custom', label: 'Custom range' },
];

export function periodOf(value: unknown): PeriodChoice {
  if (value === undefined || value === null || value === '') return '';
  if (isRelativeDate(value)) return value;
  return 'custom';
}

/** The custom range's ends as datetime-local text ('2025-05-20T00:00'), read as UTC. */
export function rangeInputs(value: unknown): { from: string; to: string } {
  const cut = (s: unknown) => (typeof s === 'string' ? s.slice(0, 16) : '');
  if (typeof value === 'string' && !isRelativeDate(value)) return { from: cut(value), to: '' };
  if (value && typeof value === 'object') {
    const v = value as { from?: unknown; to?: unknown };
    return { from: cut(v.from), to: cut(v.to) };
  }
  return { from: '', to: '' };
}

/**
 * datetime-local text to the ISO instant vendors expect. A range is inclusive to the millisecond, so the end
 * of a minute the user picks as "to" is its last millisecond.
 */
export function toIso(local: string, end: boolean): string {
  if (local === '') return '';
  const base = local.length === 16 ? `${local}:${end ? '59' : '00'}` : local.slice(0, 19);
  return `${base}.${end ? '999' : '000'}Z`;
}

export function describeRelative(keyword: RelativeDate, nowMs = Date.now()): string {
  if (keyword === 'since-last-run')
    return 'From the end of the last saved run of this recipe until now (UTC).';
  const r = resolveRelativeDate(keyword, nowMs);
  return `${r.from.slice(0, 16).replace('T', ' ')} to ${r.to.slice(0, 16).replace('T', ' ')} UTC, resolved when the export starts.`;
}
