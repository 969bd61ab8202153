import { Alert, Button, Code, Group, Modal, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { describeTiming, type ScheduleInfo } from '../../../shared/schedules.ts';
import { useSchedules, useStores } from '../../stores/context.tsx';
import { ErrorText } from '../../ui/ErrorText.tsx';
import { useAction } from '../../ui/use-action.ts';
import { ScheduleDialog } from './ScheduleDialog.tsx';
import { runOutcome, RunState, ScheduleRuns } from './ScheduleRuns.tsx';
import { whenInWords } from './schedule-words.ts';

function ScheduleCard({ schedule, onEdit }: { schedule: ScheduleInfo; onEdit(): void }) {
  const stores = useStores();
  const { busy, error, run } = useAction();
  const [removing, setRemoving] = useState(false);
  const last = schedule.runs[0];
  const running = last?.state === 'running' || last?.state === 'retrying';
  const s = stores.schedules.getState();
  const next = schedule.paused
    ? 'Paused'
    : schedule.nextRunAt
      ? whenInWords(Date.parse(schedule.nextRunAt), schedule.timeZone)
      : '—';
  return (
    <Paper withBorder p="md" component="section" aria-label={schedule.name} data-testid="schedule">
      <Stack gap="xs">
        <Group justify="space-between" align="start">
          <div>
            <Title order={3} size="h4">
              {schedule.name}
            </Title>
            <Text size="sm">{describeTiming(schedule.timing, schedule.timeZone)}</Text>
          </div>
          <Group gap={6}>
            <Button
              size="xs"
              loading={busy === 'run'}
              disabled={running}
              onClick={() => void run('run', () => s.runNow(schedule.name))}
              aria-label={`Run now ${schedule.name}`}
            >
              Run now
            </Button>
            <Button
              size="xs"
              variant="default"
              loading={busy === 'pause'}
              onClick={() => void run('pause', () => s.setPaused(schedule, !schedule.paused))}
              aria-label={`${schedule.paused ? 'Resume' : 'Pause'} ${schedule.name}`}
            >
              {schedule.paused ? 'Resume' : 'Pause'}
            </Button>
            <Button
              size="xs"
              variant="default"
              onClick={onEdit}
              aria-label={`Edit ${schedule.name}`}
              aria-haspopup="dialog"
            >
              Edit
            </Button>
            <Button
              size="xs"
              variant="subtle"
              color="red"
              onClick={() => setRemoving(true)}
              aria-label={`Remove ${schedule.name}`}
              aria-haspopup="dialog"
            >
              Remove
            </Button>
          </Group>
        </Group>
        <Text size="sm" data-testid="schedule-next">
          Next run: {next}
        </Text>
        <Group gap="xs" wrap="nowrap" align="baseline">
          <Text size="sm">Last run:</Text>
          {last ? (
            <>
              <RunState run={last} />
              <Text size="sm" className="ed-break" data-testid="schedule-last">
                {runOutcome(last)}
              </Text>
            </>
          ) : (
            <Text size="sm">none yet</Text>
          )}
        </Group>
        <Text size="sm">
          Folder: <Code className="ed-break">{schedule.folder}</Code>
        </Text>
        <ErrorText>{error}</ErrorText>
        <ScheduleRuns schedule={schedule} />
      </Stack>
      <Modal opened={removing} onClose={() => setRemoving(false)} title="Remove this schedule?">
        <Stack>
          <Text size="sm">
            “{schedule.name}” stops running. Files it saved and the exports it made stay where they are.
          </Text>
          <Group justify="end">
            <Button variant="default" onClick={() => setRemoving(false)} data-autofocus>
              Keep
            </Button>
            <Button
              color="red"
              onClick={() => {
                setRemoving(false);
                void run('remove', () => s.remove(schedule.name));
              }}
            >
              Remove
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}

/**
 * Every schedule: when it runs and next runs, how its last run went (a failure's message; a retry's time),
 * its folder and its runs, each linking to its export. Schedules run while Export Desk is open.
 */
export function SchedulesPage() {
  const schedules = useSchedules((s) => s.schedules);
  const loaded = useSchedules((s) => s.loaded);
  const error = useSchedules((s) => s.error);
  const [editing, setEditing] = useState<ScheduleInfo>();
  return (
    <Stack gap="md">
      <Title order={2}>Schedules</Title>
      <Text size="sm" c="dimmed">
        A schedule runs a recipe every hour, day or week and saves each run&apos;s file in its folder.
        Schedules run while Export Desk is open (on the desktop, closing the window keeps it running in the
        tray); runs missed while it was closed run once when it starts. The command line runs them too:{' '}
        <Code>exportdesk schedule run-due</Code>.
      </Text>
      {error && (
        <Alert color="red" title="Could not list the schedules">
          {error}
        </Alert>
      )}
      {loaded && schedules.length === 0 && (
        <Text c="dimmed">
          No schedules yet. Use “Schedule…” on a finished export or on a saved recipe to make one.
        </Text>
      )}
      {schedules.map((s) => (
        <ScheduleCard key={s.name} schedule={s} onEdit={() => setEditing(s)} />
      ))}
      {editing && (
        <ScheduleDialog
          opened
          onClose={() => setEditing(undefined)}
          recipe={editing.recipe}
          defaultName={editing.name}
          existing={editing}
        />
      )}
    </Stack>
  );
}
