import { Alert, Button, Code, Group, MultiSelect, Stack, Switch, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import type { FieldSpec } from '../../../../shared/providers/types.ts';
import { INSIGHTS_COMMON_FIELDS } from '../../../../shared/providers/intelepeer.ts';
import { locateInsightsError } from '../../../../shared/providers/intelepeer-errors.ts';
import { isRecord, recordOf, setPath } from '../../../ui/paths.ts';
import { useLookup } from '../use-lookup.ts';
import { ConditionRows } from './ConditionRows.tsx';
import { conditionsOf, rowsOf, type ConditionRow } from './conditions.ts';
import { ErrorText } from '../../../ui/ErrorText.tsx';
import { DateRangeField } from '../DateRangeField.tsx';

interface Props {
  /** The query's date-range fields (the timestamp), drawn with the control every vendor shares. */
  dateFields: readonly FieldSpec[];
  query: Record<string, unknown>;
  errors: Record<string, string>;
  connectionId: string | undefined;
  /** What IntelePeer said about this query when it last ran (a failed export opened for editing). */
  vendorError: string | undefined;
  onChange(query: Record<string, unknown>): void;
}

const COMMON: string[] = [...INSIGHTS_COMMON_FIELDS];

/**
 * The IntelePeer Insights query builder: events and their fields from the vendor's catalogue, the time
 * range, filters and a session scope, and the JSON body it will send (a body can be pasted instead).
 */
export function InsightsQueryBuilder({
  dateFields,
  query,
  errors,
  connectionId,
  vendorError,
  onChange,
}: Props) {
  const catalogue = useLookup(connectionId, 'catalogue', {});
  const ownFields = new Map(
    catalogue.items.map((i) => [
      i.value,
      String(i.facts?.fields ?? '')
        .split(',')
        .filter(Boolean),
    ]),
  );
  const data = recordOf(query.data) as Record<string, { fields?: string[] }>;
  const chosen = Object.keys(data);
  const events = [...new Set([...catalogue.items.map((i) => i.value), ...chosen])];
  const fieldsOf = (event: string): string[] => [...new Set([...(ownFields.get(event) ?? []), ...COMMON])];
  const [filterRows, setFilterRows] = useState<ConditionRow[]>(() => rowsOf(query.filters));
  const scope = query.scope === undefined ? undefined : recordOf(query.scope);
  const [scopeRows, setScopeRows] = useState<ConditionRow[]>(() => rowsOf(scope?.filters));
  const [paste, setPaste] = useState('');
  const [pasteError, setPasteError] = useState<string>();

  const place = vendorError ? locateInsightsError(vendorError, query) : undefined;
  const vendorAt = (p: string): string | undefined => (place === p ? vendorError : undefined);
  // Keys set to undefined are removed.
  const set = (patch: Record<string, unknown>) =>
    onChange(Object.entries(patch).reduce((q, [k, v]) => setPath(q, k, v), query));

  const chooseEvents = (names: string[]) =>
    set({ data: Object.fromEntries(names.map((e) => [e, { fields: data[e]?.fields ?? [] }])) });
  const chooseFields = (event: string, fields: string[]) => set({ data: { ...data, [event]: { fields } } });

  const editFilters = (rows: ConditionRow[]) => {
    setFilterRows(rows);
    set({ filters: conditionsOf(rows) });
  };
  const editScope = (rows: ConditionRow[] | undefined) => {
    setScopeRows(rows ?? []);
    set({ scope: rows ? { scope: 'SessionId', filters: conditionsOf(rows) ?? {} } : undefined });
  };

  const usePasted = () => {
    try {
      const body: unknown = JSON.parse(paste);
      if (!isRecord(body)) throw new Error('Write one object in braces: {"timestamp": …, "data": …}');
      setPasteError(undefined);
      setFilterRows(rowsOf(body.filters));
      setScopeRows(rowsOf(recordOf(body.scope).filters));
      onChange(body);
      setPaste('');
    } catch (e) {
      setPasteError(`Not a query body: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  const newRow = (field: string): ConditionRow => ({ event: chosen[0] ?? '', field, op: '$eq', value: '' });
  const rowError = (kind: 'filter' | 'scope') => (r: ConditionRow) =>
    vendorAt(`${kind}:${r.event}:${r.field}`);

  return (
    <Stack gap="md" data-testid="insights-builder">
      {vendorError && (
        <Alert color="red" title="IntelePeer refused this query when it last ran" role="alert">
          <Text size="sm">{vendorError}</Text>
          {place && (
            <Text size="sm" mt={4}>
              The message is repeated below, beside what it concerns.
            </Text>
          )}
        </Alert>
      )}
      {dateFields.map((f) =>
        f.dateRange ? (
          <DateRangeField
            key={f.key}
            field={{ ...f, dateRange: f.dateRange }}
            query={query}
            error={vendorAt(f.key) ?? errors[f.key]}
            onChange={onChange}
          />
        ) : null,
      )}
      <MultiSelect
        id="insights-events"
        label="Events"
        description={
          catalogue.loading
            ? 'Loading the field catalogue from IntelePeer…'
            : 'From IntelePeer’s field catalogue; names are case-sensitive.'
        }
        required
        searchable
        data={events}
        value={chosen}
        onChange={chooseEvents}
        error={vendorAt('events') ?? errors.data ?? catalogue.error}
      />
      {chosen.map((event) => (
        <MultiSelect
          key={event}
          label={`Fields of ${event}`}
          required
          searchable
          data={[
            { group: `${event} fields`, items: ownFields.get(event) ?? [] },
            {
              group: 'Common fields',
              items: COMMON.filter((f) => !(ownFields.get(event) ?? []).includes(f)),
            },
            ...((data[event]?.fields ?? [])
              .filter((f) => !fieldsOf(event).includes(f))
              .map((f) => ({ group: 'Not in the catalogue', items: [f] })) ?? []),
          ]}
          value={data[event]?.fields ?? []}
          onChange={(fields) => chooseFields(event, fields)}
          error={vendorAt(`fields:${event}`) ?? errors[`data.${event}.fields`]}
        />
      ))}
      <Stack gap={4}>
        <Text fw={500} size="sm">
          Filters (optional): only matching records are returned
        </Text>
        <ConditionRows
          noun="Filter"
          rows={filterRows}
          events={chosen.length ? chosen : events}
          fieldsOf={fieldsOf}
          errorOf={rowError('filter')}
          newRow={() => newRow('')}
          onChange={editFilters}
        />
      </Stack>
      <Stack gap={4}>
        <Switch
          label="Session scope: return whole sessions (by SessionId) that match their own filters"
          checked={scope !== undefined}
          onChange={(e) => editScope(e.currentTarget.checked ? [newRow('SessionId')] : undefined)}
        />
        {scope !== undefined && (
          <ConditionRows
            noun="Session filter"
            rows={scopeRows}
            events={events}
            fieldsOf={fieldsOf}
            errorOf={rowError('scope')}
            newRow={() => newRow('SessionId')}
            onChange={(rows) => editScope(rows)}
          />
        )}
      </Stack>
      <Stack gap={4}>
        <Text fw={500} size="sm" id="insights-body-label">
          Body sent to POST /_rest/v4/dwh/Q
        </Text>
        <Code block data-testid="insights-body" aria-labelledby="insights-body-label">
          {JSON.stringify(query, null, 2)}
        </Code>
        <ErrorText>{errors['']}</ErrorText>
      </Stack>
      <Stack gap={4}>
        <Textarea
          id="insights-paste"
          label="Paste a query body"
          description="A body from IntelePeer’s docs or another tool replaces the query above."
          rows={4}
          spellCheck={false}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          value={paste}
          error={pasteError}
          onChange={(e) => setPaste(e.currentTarget.value)}
        />
        <Group>
          <Button size="xs" variant="light" disabled={!paste.trim()} onClick={usePasted}>
            Use this body
          </Button>
        </Group>
      </Stack>
    </Stack>
  );
}
