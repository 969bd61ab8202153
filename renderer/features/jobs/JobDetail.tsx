import { Alert, Badge, Button, Code, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { isTerminal } from '../../../shared/jobs.ts';
import { useJobs, useStores } from '../../stores/context.tsx';
import { formatBytes, formatCount, formatDuration, formatTime } from '../../ui/format.ts';
import { useNow } from '../../ui/use-now.ts';
import { PreviewPanel } from '../preview/PreviewPanel.tsx';
import { SavePanel } from '../save/SavePanel.tsx';
import { JobActions } from './JobActions.tsx';
import { JobErrorAlert } from './JobErrorAlert.tsx';
import {
  elapsedMs,
  jobTitle,
  nextPollText,
  rateText,
  rowsText,
  STATE_COLORS,
  STATE_LABELS,
} from './job-info.ts';

function Stat({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={500} data-testid={testId}>
        {value}
      </Text>
    </div>
  );
}

/** One export: live status, what went wrong, its rows, and saving them. */
export function JobDetail({ jobId }: { jobId: string }) {
  const stores = useStores();
  const job = useJobs((s) => s.jobs[jobId]);
  const now = useNow(!!job && !isTerminal(job.state));
  const back = () => stores.app.getState().navigate('exports');

  if (!job)
    return (
      <Stack align="start">
        <Text>This export is no longer in the history.</Text>
        <Button variant="default" onClick={back}>
          Back to exports
        </Button>
      </Stack>
    );

  const canSave = job.state === 'ready' || job.state === 'saved';
  return (
    <Stack gap="md" data-testid="job-detail" data-job-id={job.id} data-state={job.state}>
      <Group justify="space-between">
        <Group gap="sm">
          <Button variant="subtle" onClick={back}>
            ← All exports
          </Button>
          <Title order={2}>{jobTitle(job)}</Title>
          <Badge color={STATE_COLORS[job.state]} size="lg" variant="light" data-testid="job-state">
            {STATE_LABELS[job.state]}
          </Badge>
        </Group>
        <JobActions job={job} />
      </Group>
      <Paper withBorder p="sm">
        <SimpleGrid cols={{ base: 4, lg: 8 }} spacing="sm">
          <Stat label="Rows" value={rowsText(job)} testId="job-rows" />
          <Stat label="Pages" value={formatCount(job.counters.pages)} testId="job-pages" />
          <Stat label="Size" value={formatBytes(job.counters.bytes)} testId="job-bytes" />
          <Stat label="Rate" value={rateText(job, now)} testId="job-rate" />
          <Stat label="Elapsed" value={formatDuration(elapsedMs(job, now))} testId="job-elapsed" />
          <Stat label="Remote job" value={job.remote.jobId ?? '—'} testId="job-remote-id" />
          <Stat label="Next poll" value={nextPollText(job, now) ?? '—'} testId="job-next-poll" />
          <Stat label="Started" value={formatTime(job.startedAt ?? job.createdAt)} testId="job-started" />
        </SimpleGrid>
        {job.remote.status && (
          <Text size="xs" c="dimmed" mt="xs">
            Vendor status: <Code>{job.remote.status}</Code>
          </Text>
        )}
        {job.message && !job.error && (
          <Text size="sm" mt="xs" data-testid="job-message">
            {job.message}
          </Text>
        )}
      </Paper>
      <JobErrorAlert job={job} />
      {job.warnings.map((w) => (
        <Alert key={w} color="yellow" title="Warning">
          {w}
        </Alert>
      ))}
      <PreviewPanel job={job} />
      {canSave && <SavePanel job={job} />}
    </Stack>
  );
}
