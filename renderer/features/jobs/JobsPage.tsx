import { Alert, Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useMemo, type CSSProperties } from 'react';
import { isTerminal, type JobState } from '../../../shared/jobs.ts';
import { DATA_REMOVED, jobTitle, waitText } from '../../../shared/job-text.ts';
import { countText, filterJobs, isFiltered } from '../../../shared/job-search.ts';
import { sortedJobs } from '../../stores/jobs-store.ts';
import { useJobs, useStores } from '../../stores/context.tsx';
import { formatTime } from '../../ui/format.ts';
import { useNow } from '../../ui/use-now.ts';
import { JobActions } from './JobActions.tsx';
import { JobFilters } from './JobFilters.tsx';
import { JobProgressBar } from './JobProgressBar.tsx';
import { LIST_FIGURES, STATES } from './job-info.ts';

export function StateBadge({ state, style }: { state: JobState; style?: CSSProperties }) {
  return (
    <Badge
      color={STATES[state].color}
      variant="light"
      data-testid="job-state"
      className="ed-state"
      style={style}
    >
      {STATES[state].label}
    </Badge>
  );
}

/** Every export, running ones live, finished ones as history. */
export function JobsPage() {
  const stores = useStores();
  const jobsById = useJobs((s) => s.jobs);
  const error = useJobs((s) => s.error);
  const all = useMemo(() => sortedJobs(jobsById), [jobsById]);
  const filter = useJobs((s) => s.filter);
  const shown = useJobs((s) => s.shown);
  const matching = useMemo(() => filterJobs(all, filter), [all, filter]);
  // Only a page at a time is drawn: a table of thousands of rows is slow to draw and no one reads it whole.
  const jobs = matching.slice(0, shown);
  const now = useNow(jobs.some((j) => !isTerminal(j.state)));

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Exports</Title>
        <Button onClick={() => stores.app.getState().navigate('new-export')}>New export</Button>
      </Group>
      {error && (
        <Alert color="red" title="Could not load the exports">
          {error}
        </Alert>
      )}
      {all.length > 0 && <JobFilters jobs={all} />}
      {all.length > 0 && (
        <Text size="sm" c="dimmed" role="status" data-testid="jobs-count">
          {countText(matching.length, all.length)}
        </Text>
      )}
      {all.length === 0 ? (
        <Text c="dimmed">No exports yet.</Text>
      ) : matching.length === 0 ? (
        <Stack align="start" gap="xs" data-testid="jobs-none-match">
          <Text size="sm">No export matches these filters.</Text>
          <Button variant="default" size="xs" onClick={() => stores.jobs.getState().clearFilter()}>
            Clear filters
          </Button>
        </Stack>
      ) : (
        <Table
          striped
          highlightOnHover
          verticalSpacing={6}
          horizontalSpacing={6}
          fz="sm"
          aria-label="Exports"
          data-testid="jobs-table"
          className="ed-jobs-table"
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Export</Table.Th>
              <Table.Th>State</Table.Th>
              {LIST_FIGURES.map((f) => (
                <Table.Th key={f.label} className={f.num ? 'ed-num' : undefined}>
                  {f.label}
                </Table.Th>
              ))}
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {jobs.map((job) => (
              <Table.Tr key={job.id} data-testid="job-row" data-job-id={job.id} data-state={job.state}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {jobTitle(job)}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {formatTime(job.createdAt)}
                  </Text>
                  {job.remote.jobId && (
                    <Text size="xs" c="dimmed" className="ed-break">
                      Remote job {job.remote.jobId}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td className="ed-jobs-state">
                  <StateBadge state={job.state} />
                  {job.dataRemovedAt && (
                    <Text size="xs" c="dimmed" data-testid="job-row-data-removed">
                      {DATA_REMOVED}
                    </Text>
                  )}
                  {job.error ? (
                    <Text size="xs" c="red" lineClamp={2} title={job.error.message}>
                      {job.error.message}
                    </Text>
                  ) : (
                    !isTerminal(job.state) &&
                    job.message && (
                      <Text size="xs" c="dimmed" data-testid="job-row-message">
                        {job.message}
                      </Text>
                    )
                  )}
                  {waitText(job, now) && (
                    <Text size="xs" c="indigo.8" data-testid="job-row-wait">
                      {waitText(job, now)}
                    </Text>
                  )}
                  <JobProgressBar job={job} now={now} size="xs" />
                </Table.Td>
                {LIST_FIGURES.map((f) => {
                  const sub = f.sub?.(job, now);
                  return (
                    <Table.Td key={f.label} className={f.num ? 'ed-num' : undefined}>
                      {f.value(job, now)}
                      {sub && (
                        <Text size="xs" c="dimmed">
                          {sub}
                        </Text>
                      )}
                    </Table.Td>
                  );
                })}
                <Table.Td className="ed-jobs-actions">
                  <JobActions job={job} withOpen />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {matching.length > jobs.length && (
        <Group gap="sm">
          <Text size="sm" c="dimmed">
            Showing the newest {jobs.length.toLocaleString('en-US')}
            {isFiltered(filter) ? ' that match' : ''}.
          </Text>
          <Button variant="default" size="xs" onClick={() => stores.jobs.getState().showMore()}>
            Show more
          </Button>
        </Group>
      )}
    </Stack>
  );
}
