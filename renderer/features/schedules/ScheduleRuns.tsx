import { Anchor, Badge, Table, Text } from '@mantine/core';
import type { ScheduleInfo, ScheduleRun } from '../../../shared/schedules.ts';
import { useStores } from '../../stores/context.tsx';
import { formatTime } from '../../ui/format.ts';

const STATE_COLOR = { running: 'blue', retrying: 'orange', succeeded: 'green', failed: 'red' } as const;
const STATE_LABEL = {
  running: 'Running',
  retrying: 'Retrying',
  succeeded: 'Succeeded',
  failed: 'Failed',
} as const;
const TRIGGER_LABEL = { due: 'On time', 'catch-up': 'Caught up', manual: 'Run now' } as const;

/** A run's outcome in words: rows and file, the failure's message, or when the next try starts. */
export function runOutcome(run: ScheduleRun): string {
  switch (run.state) {
    case 'running':
      return run.attempts > 1 ? `Running (try ${run.attempts})` : 'Running';
    case 'retrying':
      return `${run.message ? `${run.message} ` : ''}Trying again at ${formatTime(run.retryAt)} (try ${run.attempts + 1}).`;
    case 'succeeded':
      return `${(run.rows ?? 0).toLocaleString()} rows${run.file ? ` saved to ${run.file}` : ''}`;
    case 'failed':
      return run.message ?? 'Failed';
  }
}

export function RunState({ run }: { run: ScheduleRun }) {
  return (
    <Badge color={STATE_COLOR[run.state]} variant="light" data-testid="run-state">
      {STATE_LABEL[run.state]}
    </Badge>
  );
}

/** A schedule's runs, newest first, each linking to its export on the Exports page. */
export function ScheduleRuns({ schedule }: { schedule: ScheduleInfo }) {
  const stores = useStores();
  if (schedule.runs.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No runs yet.
      </Text>
    );
  return (
    <Table fz="sm" verticalSpacing={4} aria-label={`Runs of ${schedule.name}`} data-testid="schedule-runs">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Started</Table.Th>
          <Table.Th>Why</Table.Th>
          <Table.Th>State</Table.Th>
          <Table.Th>Outcome</Table.Th>
          <Table.Th>Export</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {schedule.runs.map((run) => (
          <Table.Tr key={`${run.startedAt}-${run.dueAt}`} data-testid="schedule-run">
            <Table.Td>{formatTime(run.startedAt)}</Table.Td>
            <Table.Td>{TRIGGER_LABEL[run.trigger]}</Table.Td>
            <Table.Td>
              <RunState run={run} />
            </Table.Td>
            <Table.Td className="ed-break">{runOutcome(run)}</Table.Td>
            <Table.Td>
              {run.jobId ? (
                <Anchor
                  component="button"
                  type="button"
                  size="sm"
                  onClick={() => run.jobId && stores.app.getState().navigate('exports', run.jobId)}
                  aria-label={`Open the export of the run started ${formatTime(run.startedAt)}`}
                >
                  Open export
                </Anchor>
              ) : (
                '—'
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
