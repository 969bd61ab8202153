import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { isTerminal, type JobRecord } from '../../../shared/jobs.ts';
import { useStores } from '../../stores/context.tsx';
import { jobTitle, runAgainLabel } from '../../../shared/job-text.ts';
import { cancelNote, runsAtVendor } from './job-info.ts';
import { ErrorText } from '../../ui/ErrorText.tsx';
import { useAction } from '../../ui/use-action.ts';
import { ScheduleButton } from '../schedules/ScheduleButton.tsx';

/**
 * Cancel a running export; retry one that got no rows (failed, cancelled), run one that did again, or
 * remove a finished one. Retry or Run again takes Cancel's place once the export stops, and Remove sits
 * away from it (after it where the buttons start on the left, before it where they end on the right:
 * `align`), so a second click on Cancel never lands on Remove; Remove asks first all the same. Cancelling
 * an export whose job runs at the vendor asks first and says what becomes of that job. `withEdit: false`
 * leaves out "Edit query" where the error above already offers it beside the field.
 */
export function JobActions({
  job,
  withOpen = false,
  withEdit = true,
  align = 'start',
  withSchedule = false,
}: {
  job: JobRecord;
  withOpen?: boolean;
  withEdit?: boolean;
  align?: 'start' | 'end';
  /** "Schedule…" on a finished export, to run its recipe on its own from now on. */
  withSchedule?: boolean;
}) {
  const stores = useStores();
  const { busy, error, run } = useAction();
  const [confirming, setConfirming] = useState(false);
  const [confirmingCancel, setConfirmingCancel] = useState(false);
  const title = jobTitle(job);
  const jobs = stores.jobs.getState();
  const terminal = isTerminal(job.state);
  const cancel = () => void run('cancel', () => jobs.cancel(job.id));
  const remove = terminal && (
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
  );
  return (
    <Group gap={6} wrap="nowrap">
      {align === 'end' && remove}
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
          onClick={() => (runsAtVendor(job) ? setConfirmingCancel(true) : cancel())}
          aria-label={`Cancel ${title}`}
          {...(runsAtVendor(job) ? { 'aria-haspopup': 'dialog' as const } : {})}
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
          aria-label={`Edit query of ${title}`}
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
          aria-label={`${runAgainLabel(job.state)} ${title}`}
        >
          {runAgainLabel(job.state)}
        </Button>
      )}
      {withSchedule && (job.state === 'ready' || job.state === 'saved') && (
        <ScheduleButton recipe={job.recipe} job={job} title={title} />
      )}
      {align === 'start' && remove}
      <Modal
        opened={confirmingCancel && !terminal}
        onClose={() => setConfirmingCancel(false)}
        title="Cancel this export?"
      >
        <Stack>
          <Text size="sm">{cancelNote(job)}</Text>
          <Group justify="end">
            <Button variant="default" onClick={() => setConfirmingCancel(false)} data-autofocus>
              Keep running
            </Button>
            <Button
              color="red"
              onClick={() => {
                setConfirmingCancel(false);
                cancel();
              }}
            >
              Cancel export
            </Button>
          </Group>
        </Stack>
      </Modal>
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
