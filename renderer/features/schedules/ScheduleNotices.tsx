import { Alert, Button, Group, Stack } from '@mantine/core';
import { useApp, useSchedules, useStores } from '../../stores/context.tsx';

const COLOR = { succeeded: 'green', failed: 'red', 'caught-up': 'blue' } as const;

/**
 * What the scheduler tells the user, in the window (the desktop also shows it as an OS notification):
 * a run that succeeded or failed, and missed schedules caught up at start. One live region, read out as
 * notices arrive; each stays until dismissed. It floats over the window's corner, so it takes no room
 * from the screen under it (the preview's height) while it is empty.
 */
export function ScheduleNotices() {
  const stores = useStores();
  const notices = useSchedules((s) => s.notices);
  const view = useApp((s) => s.view);
  return (
    <Stack
      gap={6}
      role="status"
      aria-label="Schedule notices"
      data-testid="schedule-notices"
      className="ed-notices"
    >
      {notices.map((n) => (
        <Alert
          key={n.id}
          color={COLOR[n.kind]}
          title={n.title}
          withCloseButton
          closeButtonLabel="Dismiss"
          onClose={() => stores.schedules.getState().dismiss(n.id)}
          data-kind={n.kind}
          className="ed-break"
        >
          <Group justify="space-between" wrap="nowrap" gap="sm">
            <span>{n.body}</span>
            {view !== 'schedules' && (
              <Button
                size="compact-xs"
                variant="subtle"
                onClick={() => stores.app.getState().navigate('schedules')}
              >
                Schedules
              </Button>
            )}
          </Group>
        </Alert>
      ))}
    </Stack>
  );
}
