import { ActionIcon, Autocomplete, Group, Loader, MultiSelect, Select, TagsInput, Text } from '@mantine/core';
import type { FieldSpec } from '../../../shared/providers/types.ts';
import { useLookup } from './use-lookup.ts';

interface Props {
  field: FieldSpec;
  id: string;
  connectionId: string | undefined;
  /** The query, for the values of `dependsOn` fields. */
  query: Record<string, unknown>;
  value: unknown;
  error?: string;
  /** The label of another query field, for "Choose Workspace first." */
  labelOf?(key: string): string;
  onChange(value: unknown): void;
}

/**
 * A select or multi-select whose choices come from the field's own list or from the vendor (a lookup
 * through the connection). The label shows names; the value sent is the vendor's id.
 */
export function ChoiceField({ field, id, connectionId, query, value, error, labelOf, onChange }: Props) {
  const params = Object.fromEntries(
    (field.lookup?.dependsOn ?? []).map((k) => {
      const v = query[k];
      return [k, typeof v === 'string' || typeof v === 'number' ? String(v) : undefined];
    }),
  );
  const lookup = useLookup(connectionId, field.lookup?.name, params);
  const fetched = lookup.items.map((i) => ({
    value: i.value,
    label: i.detail ? `${i.label} (${i.detail})` : i.label,
  }));
  const known = [...(field.options ?? []), ...fetched];
  const values = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [];
  // A value from a recipe the vendor no longer lists still shows (as its id) instead of vanishing.
  const data = [
    ...known,
    ...values.filter((v) => v && !known.some((o) => o.value === v)).map((v) => ({ value: v, label: v })),
  ];

  const waiting = lookup.waitingFor.length > 0 && field.lookup;
  const description = [
    field.help,
    waiting ? `Choose ${lookup.waitingFor.map((k) => labelOf?.(k) ?? k).join(' and ')} first.` : undefined,
    lookup.loading ? 'Loading choices from the vendor…' : undefined,
  ]
    .filter(Boolean)
    .join(' ');
  const lookupError = lookup.error ? `Could not load the choices: ${lookup.error}` : undefined;
  const common = {
    id,
    label: field.label,
    description: description || undefined,
    required: field.required,
    error: error ?? lookupError,
    rightSection: lookup.loading ? <Loader size="xs" aria-label="Loading" /> : undefined,
  };
  const reload = field.lookup && connectionId && (
    <ActionIcon
      variant="subtle"
      aria-label={`Reload ${field.label}`}
      title="Load the choices again"
      onClick={lookup.reload}
      mt={28}
    >
      <Text size="sm" aria-hidden>
        ↻
      </Text>
    </ActionIcon>
  );

  const many = (v: string[]) => onChange(v.length ? v : undefined);
  let input;
  if (field.kind === 'multiselect' && field.freeText) {
    input = <TagsInput {...common} data={data} value={values} onChange={many} />;
  } else if (field.kind === 'multiselect') {
    input = <MultiSelect {...common} data={data} searchable value={values} onChange={many} />;
  } else if (field.freeText) {
    input = (
      <Autocomplete
        {...common}
        data={data.map((o) => o.value)}
        value={values[0] ?? ''}
        onChange={(v) => onChange(v === '' && !field.required ? undefined : v)}
      />
    );
  } else {
    input = (
      <Select
        {...common}
        data={data}
        searchable
        clearable={!field.required}
        placeholder="Choose…"
        nothingFoundMessage={lookup.loading ? 'Loading…' : 'Nothing matches'}
        value={values[0] ?? null}
        onChange={(v) => onChange(v ?? undefined)}
      />
    );
  }
  return reload ? (
    <Group align="flex-start" gap="xs" wrap="nowrap">
      <div style={{ flex: 1 }}>{input}</div>
      {reload}
    </Group>
  ) : (
    input
  );
}
