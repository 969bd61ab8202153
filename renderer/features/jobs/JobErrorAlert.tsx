import { Alert, Text } from '@mantine/core';
import type { JobRecord } from '../../../shared/jobs.ts';
import { STATE_LABELS } from './job-info.ts';

/** What went wrong, in plain words: who said it, at which step, and what to do about it. */
export function JobErrorAlert({ job }: { job: JobRecord }) {
  const err = job.error;
  if (!err) return null;
  const step = STATE_LABELS[err.step as keyof typeof STATE_LABELS] ?? err.step;
  return (
    <Alert
      color="red"
      title={`${err.vendor} export failed while ${step.toLowerCase()}`}
      data-testid="job-error"
      role="alert"
    >
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
        {err.message}
        {err.status !== undefined ? ` (HTTP ${err.status})` : ''}
      </Text>
      {err.hint && (
        <Text size="sm" mt={4} fw={500}>
          What to do: {err.hint}
        </Text>
      )}
    </Alert>
  );
}
