import { Box, Group, Progress, Text } from '@mantine/core';
import type { JobRecord } from '../../../shared/jobs.ts';
import { jobProgress } from './job-info.ts';

/**
 * A running export's progress: a bar with its value where the total is known (rows, remote jobs, result
 * files) and the time left once the pace says something; otherwise a moving bar named for the phase.
 */
export function JobProgressBar({
  job,
  now,
  size = 'sm',
  withText = false,
}: {
  job: JobRecord;
  now: number;
  size?: 'xs' | 'sm';
  withText?: boolean;
}) {
  const p = jobProgress(job, now);
  if (!p) return null;
  const bar =
    p.percent === undefined ? (
      // No value to give: aria-valuenow is left out, which is what an indeterminate progressbar is.
      <Box role="progressbar" aria-label={p.label} data-testid="job-progress">
        <Progress.Root size={size}>
          <Progress.Section value={100} striped animated withAria={false} />
        </Progress.Root>
      </Box>
    ) : (
      <Progress.Root size={size} data-testid="job-progress">
        <Progress.Section value={p.percent} aria-label={p.label} />
      </Progress.Root>
    );
  if (!withText) return <Box mt={4}>{bar}</Box>;
  return (
    <Box mb={6}>
      <Group justify="space-between" gap="xs" mb={2}>
        <Text size="xs" c="dimmed">
          {p.label}
        </Text>
        {p.eta && (
          <Text size="xs" c="dimmed" data-testid="job-eta">
            {p.eta}
          </Text>
        )}
      </Group>
      {bar}
    </Box>
  );
}
