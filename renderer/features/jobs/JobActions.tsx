import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { isTerminal, type JobRecord } from '../../../shared/jobs.ts';
import { useStores } from '../../stores/context.tsx';
import { jobTitle } from './job-info.ts';
import { ErrorText } from '../../ui/ErrorText.tsx';
import { useAction } from '../../ui/use-action.ts';

/**
 * Cancel a running export; retry or remove a finished one. Remove asks first: it shows up where Cancel was
 * a moment before, so a double click on Cancel must not delete the export's rows. `withEdit: false` leaves
 * out "Edit query" where the error above already offers it beside the field it names.
 */
export function JobActions({
  job,
  withOpen = false,
  withEdit = true,
}: {
  job: JobRecord;
  withOpen?: boolean;
  withEdit?: boolean;
}) {
  const stores = useStores();
  const { busy, error, run } = useAction();
  const [confirming, setConfirming] = useState(false);
  const title = jobTitle(job);
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
      {job.state === 'failed' && withEdit && (
        <Button
          size="xs"
          variant="default"
          onClick={() => {
            stores.builder.getState().editRecipe(job.recipe, job.connectionId, job.error);
            stores.app.getState().navigate('new-export');
          }}
          aria-label={`Edit the query of ${title}`}
        >
          Edit query
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
          onClick={() => setConfirming(true)}
          aria-label={`Remove ${title}`}
          aria-haspopup="dialog"
        >
          Remove
        </Button>
      )}
      <Modal opened={confirming} onClose={() => setConfirming(false)} title="Remove this export?">
        <Stack>
          <Text size="sm">
            “{title}” and its rows are removed from this computer. Files you already saved stay where they
            are.
          </Text>
          <Group justify="end">
            <Button variant="default" onClick={() => setConfirming(false)} data-autofocus>
              Keep
            </Button>
            <Button
              color="red"
              onClick={() => {
                setConfirming(false);
                void run('remove', async () => {
                  await jobs.remove(job.id);
                  if (stores.app.getState().jobId === job.id) stores.app.getState().navigate('exports');
                });
              }}
            >
              Remove
            </Button>
          </Group>
        </Stack>
      </Modal>
      <ErrorText size="xs">{error}</ErrorText>
    </Group>
  );
}
