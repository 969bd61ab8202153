import { Button, Group, Stack, Text } from '@mantine/core';
import type { FieldSpec, ProviderDefinition } from '../../../shared/providers/types.ts';
import { getPath, isRecord, recordOf, setPath } from '../../ui/paths.ts';
import { ChoiceField } from './ChoiceField.tsx';
import { DateRangeField } from './DateRangeField.tsx';
import { InsightsQueryBuilder } from './intelepeer/InsightsQueryBuilder.tsx';
import { JsonField } from './JsonField.tsx';
import type { JsonDraft } from '../../stores/builder-store.ts';
import { ErrorText } from '../../ui/ErrorText.tsx';
import { FieldInput } from '../../ui/FieldInput.tsx';

interface Props {
  provider: ProviderDefinition;
  query: Record<string, unknown>;
  errors: Record<string, string>;
  /** The connection lookups go through (vendor lists: users, workspaces ...). */
  connectionId?: string;
  /** What the vendor said about this query when it last ran, for builders that can place it. */
  vendorError?: string;
  /** JSON fields' text as typed (see the builder store). */
  jsonDrafts?: Record<string, JsonDraft>;
  onJsonDraft?(key: string, draft: JsonDraft): void;
  onChange(query: Record<string, unknown>): void;
}

/** Deep-merges a preset's partial query over the user's. */
function merge(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    const cur = out[k];
    out[k] = isRecord(v) && isRecord(cur) ? merge(cur, v) : v;
  }
  return out;
}

/** Whether the query already holds every value of a preset's partial query (the preset is in effect). */
const holds = (query: Record<string, unknown>, patch: Record<string, unknown>) =>
  JSON.stringify(merge(query, patch)) === JSON.stringify(query);

/** The query form of one provider, built from its field list. */
export function QueryForm({
  provider,
  query,
  errors,
  connectionId,
  vendorError,
  jsonDrafts = {},
  onJsonDraft = () => undefined,
  onChange,
}: Props) {
  const keys = provider.queryFields.map((f) => f.key);
  // A vendor's own editor shows the query's errors itself, the one about the query as a whole too.
  const ownEditor = provider.capabilities.queryEditor === 'insights';
  const set = (key: string, value: unknown) => onChange(setPath(query, key, value));

  const choice = (f: FieldSpec, id: string, value: unknown, error: string | undefined) => (
    <ChoiceField
      key={f.key}
      field={f}
      id={id}
      connectionId={connectionId}
      query={query}
      value={value}
      error={error}
      labelOf={(k) => provider.queryFields.find((q) => q.key === k)?.label ?? k}
      onChange={(v) => set(f.key, v)}
    />
  );

  const field = (f: FieldSpec) => {
    const id = `query-${f.key.replace(/\./g, '-')}`;
    const value = getPath(query, f.key);
    const error = errors[f.key];
    const plain = (parse: (v: string | boolean) => unknown, data?: FieldSpec['options']) => (
      <FieldInput
        key={f.key}
        field={f}
        id={id}
        value={value}
        error={error}
        data={data}
        onChange={(v) => set(f.key, parse(v))}
      />
    );
    switch (f.kind) {
      case 'date-range':
        if (!f.dateRange) return plain((v) => v || undefined);
        return (
          <DateRangeField
            key={f.key}
            field={{ ...f, dateRange: f.dateRange }}
            query={query}
            error={error}
            onChange={onChange}
          />
        );
      case 'json': {
        if (f.jsonArray)
          return (
            <JsonField
              key={f.key}
              field={f}
              value={Array.isArray(value) ? value : []}
              error={error}
              draft={jsonDrafts[f.key]}
              onDraft={(d) => onJsonDraft(f.key, d)}
              onChange={(next) => set(f.key, Array.isArray(next) && next.length ? next : undefined)}
            />
          );
        // Keys that other fields edit (filterBy.createdAt) are not repeated in the JSON box.
        const own = keys.filter((k) => k.startsWith(`${f.key}.`)).map((k) => k.slice(f.key.length + 1));
        const obj = recordOf(value);
        const shown = Object.fromEntries(Object.entries(obj).filter(([k]) => !own.includes(k)));
        return (
          <JsonField
            key={f.key}
            field={f}
            value={shown}
            error={error}
            draft={jsonDrafts[f.key]}
            onDraft={(d) => onJsonDraft(f.key, d)}
            onChange={(next) => {
              const kept = Object.fromEntries(Object.entries(obj).filter(([k]) => own.includes(k)));
              const merged = { ...next, ...kept };
              set(f.key, Object.keys(merged).length ? merged : undefined);
            }}
          />
        );
      }
      case 'select':
        // Plain fixed lists stay native selects; vendor lists and multi-selects get a searchable picker.
        if (!f.lookup && !f.freeText)
          return plain((v) => v || undefined, [{ value: '', label: 'Choose…' }, ...(f.options ?? [])]);
        return choice(f, id, value, error);
      case 'multiselect':
        return choice(f, id, value, error);
      case 'number':
        return plain((v) => {
          const t = String(v).trim();
          return t === '' ? undefined : Number.isFinite(Number(t)) ? Number(t) : t;
        });
      default:
        // Text, or a switch's true/false. A required field left empty stays '', so the schema's own
        // "enter ..." message shows.
        return plain((v) => (v === '' && !f.required ? undefined : v));
    }
  };

  return (
    <Stack gap="md">
      {provider.presets.length > 0 && (
        <Group gap="xs" role="group" aria-label="Presets">
          <Text size="sm" fw={500}>
            Presets:
          </Text>
          {provider.presets.map((p) => {
            const active = holds(query, p.query);
            return (
              <Button
                key={p.id}
                size="xs"
                variant={active ? 'filled' : 'light'}
                aria-pressed={active}
                onClick={() => onChange(merge(query, p.query))}
              >
                {p.label}
              </Button>
            );
          })}
        </Group>
      )}
      {ownEditor ? (
        <InsightsQueryBuilder
          dateFields={provider.queryFields.filter((f) => f.kind === 'date-range')}
          query={query}
          errors={errors}
          connectionId={connectionId}
          vendorError={vendorError}
          onChange={onChange}
        />
      ) : (
        provider.queryFields.map(field)
      )}
      {!ownEditor && <ErrorText>{errors['']}</ErrorText>}
    </Stack>
  );
}
