import { Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { fromWire, toWire, type DateRangeSpec } from '../../../shared/date-range.ts';
import type { FieldSpec } from '../../../shared/providers/types.ts';
import { localTimeZone } from '../../../shared/zoned-time.ts';
import { getPath } from '../../ui/paths.ts';
import {
  AS_WRITTEN,
  chooseFixed,
  choosePeriod,
  describePeriod,
  endExcluded,
  FIXED,
  readRange,
} from './date-range.ts';

interface Props {
  field: FieldSpec & { dateRange: DateRangeSpec };
  query: Record<string, unknown>;
  error: string | undefined;
  onChange(query: Record<string, unknown>): void;
}

/** Seconds or milliseconds appear on the input only when the value has them. */
const stepOf = (local: string): number | undefined =>
  local.length > 19 ? 0.001 : local.length > 16 ? 1 : undefined;

/**
 * Every vendor's date range: one of its periods (relative keywords re-worked out on each run of a recipe,
 * or the vendor's own presets), or fixed days or times. Times are picked on the user's own clock and sent
 * in the vendor's form, which is shown under the inputs.
 */
export function DateRangeField({ field, query, error, onChange }: Props) {
  const spec = field.dateRange;
  const timeZone = localTimeZone();
  const zoneName = /^(Etc\/)?(UTC|UCT|GMT|Zulu|Universal)$/.test(timeZone) ? 'UTC' : timeZone;
  const range = readRange(spec, query);
  const id = `query-${field.key.replace(/\./g, '-')}`;
  const day = spec.precision === 'day';
  const excluded = endExcluded(spec, query);

  const input = (wire: string, end: boolean) =>
    wire === '' ? '' : (fromWire(spec, wire, end, timeZone, query) ?? '');
  const from = input(range.from, false);
  const to = input(range.to, true);
  const setEnd = (end: boolean, local: string) => {
    const wire = local === '' ? '' : (toWire(spec, local, end, timeZone, query) ?? '');
    onChange(chooseFixed(spec, query, end ? range.from : wire, end ? wire : range.to));
  };

  const listed = spec.periods.some((p) => p.value === range.choice);
  const options = [
    ...(range.choice === '' || !field.required
      ? [{ value: '', label: field.required ? 'Choose…' : 'Any time' }]
      : []),
    ...spec.periods,
    // A value from a recipe or the vendor's docs that is not in the list is kept, as it is written.
    ...(range.choice === AS_WRITTEN
      ? [{ value: AS_WRITTEN, label: `As written: ${JSON.stringify(getPath(query, spec.period))}` }]
      : range.choice !== '' && range.choice !== FIXED && !listed
        ? [{ value: range.choice, label: range.choice }]
        : []),
    { value: FIXED, label: day ? 'Fixed days' : 'Fixed dates' },
  ];

  const zone = day ? 'UTC day' : zoneName;
  const toLabel =
    day || !excluded
      ? `${field.label} to (${zone}, inclusive)`
      : `${field.label} until (${zone}, not included)`;
  const complete = range.choice === FIXED && from !== '' && to !== '';
  const sent = day
    ? `Sent to ${spec.vendor} as ${range.from} … ${range.to} (UTC days${excluded ? `; ${range.to} is the first day not extracted` : ''})`
    : `Sent to ${spec.vendor} as ${range.from} … ${range.to}`;

  return (
    <Stack gap={4} data-testid="date-range" data-field={field.key}>
      <NativeSelect
        id={`${id}-period`}
        label={`${field.label}: period`}
        description={field.help}
        data={options}
        value={range.choice}
        onChange={(e) => {
          const next = e.currentTarget.value;
          if (next === AS_WRITTEN) return;
          onChange(next === FIXED ? chooseFixed(spec, query, '', '') : choosePeriod(spec, query, next));
        }}
        error={range.choice !== FIXED ? error : undefined}
      />
      {range.choice !== '' && range.choice !== FIXED && range.choice !== AS_WRITTEN && (
        <Text size="xs" c="dimmed" data-testid={`${id}-resolved`}>
          {describePeriod(spec, range.choice)}
        </Text>
      )}
      {range.choice === FIXED && (
        <Group align="start" gap="sm">
          <TextInput
            id={`${id}-from`}
            type={day ? 'date' : 'datetime-local'}
            step={day ? undefined : stepOf(from)}
            label={`${field.label} from (${zone})`}
            value={from}
            onChange={(e) => setEnd(false, e.currentTarget.value)}
          />
          <TextInput
            id={`${id}-to`}
            type={day ? 'date' : 'datetime-local'}
            step={day ? undefined : stepOf(to)}
            label={toLabel}
            value={to}
            onChange={(e) => setEnd(true, e.currentTarget.value)}
          />
        </Group>
      )}
      {complete && !error && (
        <Text size="xs" c="dimmed" data-testid={`${id}-wire`}>
          {sent}
        </Text>
      )}
      {range.choice === FIXED && error && (
        <Text size="sm" c="red" role="alert" id={`${id}-error`} style={{ whiteSpace: 'pre-line' }}>
          {error}
        </Text>
      )}
    </Stack>
  );
}
