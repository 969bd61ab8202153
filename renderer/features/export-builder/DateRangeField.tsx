import { Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import type { FieldSpec } from '../../../shared/providers/types.ts';
import {
  describeRelative,
  PERIOD_OPTIONS,
  periodOf,
  rangeInputs,
  toIso,
  type PeriodChoice,
} from './date-range.ts';

interface Props {
  field: FieldSpec;
  value: unknown;
  error: string | undefined;
  onChange(value: unknown): void;
}

/** A relative period (re-resolved on every run of a recipe) or a fixed UTC range picked on a calendar. */
export function DateRangeField({ field, value, error, onChange }: Props) {
  const period = periodOf(value);
  const { from, to } = rangeInputs(value);
  const id = `query-${field.key.replace(/\./g, '-')}`;
  const setRange = (nextFrom: string, nextTo: string) =>
    onChange({ from: toIso(nextFrom, false), to: toIso(nextTo, true) });

  return (
    <Stack gap={4}>
      <NativeSelect
        id={`${id}-period`}
        label={`${field.label}: period`}
        description={field.help}
        data={PERIOD_OPTIONS}
        value={period}
        onChange={(e) => {
          const next = e.currentTarget.value as PeriodChoice;
          if (next === '') onChange(undefined);
          else if (next === 'custom') setRange(from, to);
          else onChange(next);
        }}
        error={period !== 'custom' ? error : undefined}
      />
      {period !== '' && period !== 'custom' && (
        <Text size="xs" c="dimmed" data-testid={`${id}-resolved`}>
          {describeRelative(period)}
        </Text>
      )}
      {period === 'custom' && (
        <Group align="start" gap="sm">
          <TextInput
            id={`${id}-from`}
            type="datetime-local"
            label={`${field.label} from (UTC)`}
            value={from}
            onChange={(e) => setRange(e.currentTarget.value, to)}
          />
          <TextInput
            id={`${id}-to`}
            type="datetime-local"
            label={`${field.label} to (UTC, inclusive)`}
            value={to}
            onChange={(e) => setRange(from, e.currentTarget.value)}
          />
        </Group>
      )}
      {period === 'custom' && error && (
        <Text size="sm" c="red" role="alert" id={`${id}-error`} style={{ whiteSpace: 'pre-line' }}>
          {from === '' || to === '' ? 'Choose both a start and an end time.' : error}
        </Text>
      )}
    </Stack>
  );
}
