import { ActionIcon, Button, Group, Select, Stack, TextInput } from '@mantine/core';
import { INSIGHTS_OPERATORS } from '../../../../shared/providers/intelepeer.ts';
import type { ConditionRow } from './conditions.ts';
import { ErrorText } from '../../../ui/ErrorText.tsx';

const OPERATOR_LABELS: Record<string, string> = {
  $eq: '$eq (equals)',
  $ne: '$ne (not equal)',
  $gt: '$gt (greater than)',
  $gte: '$gte (at least)',
  $lt: '$lt (less than)',
  $lte: '$lte (at most)',
};

interface Props {
  /** "Filter" or "Session filter": names each row's inputs for screen readers. */
  noun: string;
  rows: ConditionRow[];
  events: string[];
  fieldsOf(event: string): string[];
  /** A vendor message about this row, if any. */
  errorOf(row: ConditionRow): string | undefined;
  newRow(): ConditionRow;
  onChange(rows: ConditionRow[]): void;
}

/** Rows of event, field, operator and value; a row left incomplete is not sent. */
export function ConditionRows({ noun, rows, events, fieldsOf, errorOf, newRow, onChange }: Props) {
  const set = (i: number, patch: Partial<ConditionRow>) =>
    onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const withCurrent = (list: string[], v: string) => (v && !list.includes(v) ? [...list, v] : list);
  return (
    <Stack gap="xs">
      {rows.map((r, i) => {
        const n = `${noun} ${i + 1}`;
        const error = errorOf(r);
        return (
          <Stack key={i} gap={2}>
            <Group gap="xs" align="end" wrap="wrap">
              <Select
                label={`${n} event`}
                data={withCurrent(events, r.event)}
                value={r.event || null}
                onChange={(v) => set(i, { event: v ?? '', field: '' })}
                w={200}
              />
              <Select
                label={`${n} field`}
                searchable
                data={withCurrent(fieldsOf(r.event), r.field)}
                value={r.field || null}
                onChange={(v) => set(i, { field: v ?? '' })}
                w={200}
                error={error ? true : undefined}
              />
              <Select
                label={`${n} operator`}
                data={withCurrent(
                  INSIGHTS_OPERATORS.map((op) => op),
                  r.op,
                ).map((op) => ({ value: op, label: OPERATOR_LABELS[op] ?? op }))}
                value={r.op || null}
                onChange={(v) => set(i, { op: v ?? '' })}
                w={170}
              />
              <TextInput
                label={`${n} value`}
                value={r.value}
                onChange={(e) => set(i, { value: e.currentTarget.value })}
                w={220}
              />
              <ActionIcon
                variant="subtle"
                color="red"
                size="lg"
                aria-label={`Remove ${n.toLowerCase()}`}
                onClick={() => onChange(rows.filter((_, j) => j !== i))}
              >
                ×
              </ActionIcon>
            </Group>
            <ErrorText>{error}</ErrorText>
          </Stack>
        );
      })}
      <Group>
        <Button size="xs" variant="light" onClick={() => onChange([...rows, newRow()])}>
          Add {noun.toLowerCase()}
        </Button>
      </Group>
    </Stack>
  );
}
