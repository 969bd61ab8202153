import { Alert, Button, Group, Paper, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { JobRecord } from '../../../shared/jobs.ts';
import { useStores } from '../../stores/context.tsx';
import { useAction } from '../../ui/use-action.ts';

/** The vendor's note on times without an offset: they are in the report's time zone, written as sent. */
export function TimeZoneNote({ job }: { job: JobRecord }) {
  const tz = job.resultInfo?.timeZoneId;
  if (!tz) return null;
  const abbreviation = job.resultInfo?.facts?.timeZoneAbbreviation;
  return (
    <Text size="sm" data-testid="job-time-zone">
      Times without an offset are in <strong>{tz}</strong>
      {typeof abbreviation === 'string' ? ` (${abbreviation})` : ''}, the report’s time zone; they are
      exported as the vendor sent them.
    </Text>
  );
}

/** The vendor's totals for the whole report, beside the preview, and saved as a file of their own. */
export function SummaryPanel({ job }: { job: JobRecord }) {
  const stores = useStores();
  const { error, run } = useAction();
  const [saved, setSaved] = useState<string>();
  const summary = job.resultInfo?.summary;
  if (!summary?.length) return null;
  const columns = [...new Set(summary.flatMap((r) => Object.keys(r)))];
  const save = (format: 'csv' | 'json') =>
    run(format, async () => {
      const r = await stores.client.saveSummary(job.id, format);
      setSaved(r.saved ? (r.path ?? r.fileName ?? '') : undefined);
    });
  return (
    <Paper withBorder p="sm" component="section" aria-label="Report totals" data-testid="summary-panel">
      <Group justify="space-between" mb={4}>
        <Title order={3} size="h5">
          Report totals
        </Title>
        <Group gap={4}>
          {(['csv', 'json'] as const).map((f) => (
            <Button key={f} size="compact-xs" variant="default" onClick={() => void save(f)}>
              {`Save totals (${f.toUpperCase()})`}
            </Button>
          ))}
        </Group>
      </Group>
      <Table.ScrollContainer minWidth={200}>
        <Table withTableBorder striped fz="xs" data-testid="summary-table">
          <Table.Thead>
            <Table.Tr>
              {columns.map((c) => (
                <Table.Th key={c}>{c}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {summary.map((row, i) => (
              <Table.Tr key={i}>
                {columns.map((c) => (
                  <Table.Td key={c}>{row[c] === null || row[c] === undefined ? '' : String(row[c])}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {saved !== undefined && (
        <Text size="xs" role="status" mt={4}>
          {saved ? `Totals saved: ${saved}` : 'Totals saved.'}
        </Text>
      )}
      {error && (
        <Alert color="red" p="xs" mt={4} role="alert">
          {error}
        </Alert>
      )}
    </Paper>
  );
}
