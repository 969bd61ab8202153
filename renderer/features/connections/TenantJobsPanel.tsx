import { Alert, Badge, Button, Code, Group, Loader, Stack, Table, Text } from '@mantine/core';
import type { Connection, LookupItem } from '../../../shared/api.ts';
import { OutputOptionsSchema } from '../../../shared/output.ts';
import { useApp, useStores } from '../../stores/context.tsx';
import { formatDuration } from '../../../shared/job-text.ts';
import { formatTime } from '../../ui/format.ts';
import { useAction } from '../../ui/use-action.ts';
import { useNow } from '../../ui/use-now.ts';
import { useTenantJobs } from './use-tenant-jobs.ts';

const STATUS_COLORS: Record<string, string> = {
  RUNNING: 'indigo',
  SUCCEEDED: 'teal',
  FAILED: 'red',
  CANCELLED: 'gray',
  EXPIRED: 'gray',
};

const fact = (item: LookupItem, key: string): string | undefined => {
  const v = item.facts?.[key];
  return typeof v === 'string' ? v : undefined;
};

/** The query that fetches a remote job's file: its id, plus what Export Desk knows of it (for the title). */
function fetchQuery(item: LookupItem): Record<string, string> {
  const known = ['entityName', 'version', 'startDate', 'endDate'].flatMap((k) => {
    const v = fact(item, k);
    return v ? [[k, v] as const] : [];
  });
  return { remoteJobId: item.value, ...(known.length === 4 ? Object.fromEntries(known) : {}) };
}

/** "Jobs on this tenant": the vendor's extraction jobs, with the file of a succeeded one a click away. */
export function TenantJobsPanel({ connection }: { connection: Connection }) {
  const stores = useStores();
  const defaultCsv = useApp((s) => s.settings?.defaultCsv);
  const jobs = useTenantJobs(connection.id);
  const now = useNow(jobs.loading && jobs.callAt !== undefined, 500);
  const { error: fetchError, run } = useAction();
  const waitMs = jobs.loading && jobs.callAt !== undefined ? jobs.callAt - now : 0;

  const fetchFile = (item: LookupItem) =>
    run('fetch', async () => {
      const job = await stores.jobs.getState().start({
        version: 1,
        connection: connection.name,
        provider: connection.provider,
        query: fetchQuery(item),
        output: OutputOptionsSchema.parse({ format: 'csv', ...(defaultCsv ? { csv: defaultCsv } : {}) }),
      });
      stores.app.getState().navigate('exports', job.id);
    });

  return (
    <Stack gap="xs" mt="sm" data-testid="tenant-jobs" aria-label={`Jobs on the tenant of ${connection.name}`}>
      <Group justify="space-between">
        <Text fw={600} size="sm">
          Jobs on this tenant
        </Text>
        <Button size="compact-sm" variant="default" onClick={jobs.reload} disabled={jobs.loading}>
          Refresh
        </Button>
      </Group>
      {jobs.loading && (
        <Group gap="xs" data-testid="tenant-jobs-wait">
          <Loader size="xs" />
          <Text size="sm" c="dimmed">
            {waitMs > 0
              ? `CXone allows one call per 30 seconds on this tenant: asking in ${formatDuration(waitMs)}`
              : 'Asking CXone for the jobs…'}
          </Text>
        </Group>
      )}
      {jobs.error && (
        <Alert color="red" title="Could not list the jobs">
          {jobs.error}
        </Alert>
      )}
      {fetchError && (
        <Alert color="red" title="Could not start the download">
          {fetchError}
        </Alert>
      )}
      {jobs.items?.length === 0 && <Text c="dimmed">No extraction jobs on this tenant.</Text>}
      {!!jobs.items?.length && (
        <Table fz="sm" verticalSpacing={4} aria-label="Jobs on this tenant" data-testid="tenant-jobs-table">
          <Table.Thead>
            <Table.Tr>
              {['Status', 'Extraction', 'Submitted', 'Job id', ''].map((h) => (
                <Table.Th key={h}>{h}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {jobs.items.map((item) => {
              const status = fact(item, 'status') ?? '';
              return (
                <Table.Tr key={item.value} data-testid="tenant-job" data-status={status}>
                  <Table.Td>
                    <Badge
                      variant="light"
                      color={STATUS_COLORS[status] ?? 'yellow'}
                      tt="none"
                      style={{ minWidth: 'max-content' }}
                    >
                      {status}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {fact(item, 'entityName') ? item.label : 'Submitted outside Export Desk'}
                  </Table.Td>
                  <Table.Td>{formatTime(fact(item, 'createdAt'))}</Table.Td>
                  <Table.Td>
                    <Code>{item.value}</Code>
                  </Table.Td>
                  <Table.Td>
                    {status === 'SUCCEEDED' && (
                      <Button
                        size="compact-sm"
                        variant="light"
                        onClick={() => void fetchFile(item)}
                        aria-label={`Fetch file of job ${item.value}`}
                      >
                        Fetch file
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
