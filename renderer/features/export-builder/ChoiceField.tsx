import {
  ActionIcon,
  Autocomplete,
  Group,
  Loader,
  MultiSelect,
  Select,
  Stack,
  TagsInput,
  Text,
} from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
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
  const [notice, setNotice] = useState<string>();
  const userChange = (v: unknown) => {
    setNotice(undefined);
    onChange(v);
  };
  // When a field this one depends on changes (a CXone entity), a single value the new list does not hold
  // is not kept silently: it becomes the latest the list offers, or is cleared if the list could not be
  // loaded, and the field says so. An empty list (nothing known: any value may be typed) keeps it.
  const checkedFor = useRef(lookup.key);
  useEffect(() => {
    if (!field.lookup?.dependsOn?.length || field.kind === 'multiselect') return;
    if (lookup.loading || lookup.loadedFor !== lookup.key || checkedFor.current === lookup.key) return;
    checkedFor.current = lookup.key;
    const current = typeof value === 'string' && value !== '' ? value : undefined;
    if (!current) return;
    const of = Object.values(params).filter(Boolean).join(' ');
    const what = field.label.toLowerCase();
    if (lookup.error) {
      onChange(undefined);
      setNotice(
        `Could not check the ${what}s ${of} offers (${lookup.error}), so ${what} ${current} was cleared: choose one.`,
      );
      return;
    }
    const offered = lookup.items.map((i) => i.value);
    if (offered.length === 0 || offered.includes(current)) return;
    const latest = [...offered].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })).at(-1);
    onChange(latest);
    setNotice(`${of} does not offer ${what} ${current}: set to ${latest}, the latest it offers.`);
  });
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

  const many = (v: string[]) => userChange(v.length ? v : undefined);
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
        onChange={(v) => userChange(v === '' && !field.required ? undefined : v)}
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
        onChange={(v) => userChange(v ?? undefined)}
      />
    );
  }
  const shown = reload ? (
    <Group align="flex-start" gap="xs" wrap="nowrap">
      <div style={{ flex: 1 }}>{input}</div>
      {reload}
    </Group>
  ) : (
    input
  );
  return notice ? (
    <Stack gap={4}>
      {shown}
      <Text size="sm" c="orange" role="status" data-testid={`${id}-notice`}>
        {notice}
      </Text>
    </Stack>
  ) : (
    shown
  );
}
