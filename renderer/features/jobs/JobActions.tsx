import { Button, Group, Text } from '@mantine/core';
import { useState } from 'react';
import { isTerminal, type JobRecord } from '../../../shared/jobs.ts';
import { errorMessage } from '../../api/index.ts';
import { useStores } from '../../stores/context.tsx';
import { jobTitle } from './job-info.ts';

/** Cancel a running export; retry or remove a finished one. */
export function JobActions({ job, withOpen = false }: { job: JobRecord; withOpen?: boolean }) {
  const stores = useStores();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const title = jobTitle(job);
  const run = async (what: string, action: () => Promise<unknown>) => {
    setBusy(what);
    setError(undefined);
    try {
      await action();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(undefined);
    }
  };
  const jobs = stores.jobs.getState();
  const terminal = isTerminal(job.state);
  return (
    <Group gap={6} wrap="nowrap">
      {withOpen && (
        <Button
          size="xs"
          variant="light"
          onClick={() => stores.app.getState().navigate('exports', job.id)}
          aria-label={`Open ${title}`}
        >
          Open
        </Button>
      )}
      {!terminal && (
        <Button
          size="xs"
          color="red"
          variant="light"
          loading={busy === 'cancel'}
          onClick={() => void run('cancel', () => jobs.cancel(job.id))}
          aria-label={`Cancel ${title}`}
        >
          Cancel
        </Button>
      )}
      {terminal && (
        <Button
          size="xs"
          variant="default"
          loading={busy === 'retry'}
          onClick={() =>
            void run('retry', async () => {
              const next = await jobs.retry(job.id);
              stores.app.getState().navigate('exports', next.id);
            })
          }
          aria-label={`Retry ${title}`}
        >
          Retry
        </Button>
      )}
      {terminal && (
        <Button
          size="xs"
          variant="subtle"
          color="red"
          loading={busy === 'remove'}
          onClick={() =>
            void run('remove', async () => {
              await jobs.remove(job.id);
              if (stores.app.getState().jobId === job.id) stores.app.getState().navigate('exports');
            })
          }
          aria-label={`Remove ${title}`}
        >
          Remove
        </Button>
      )}
      {error && (
        <Text size="xs" c="red.9" role="alert">
          {error}
        </Text>
      )}
    </Group>
  );
}
