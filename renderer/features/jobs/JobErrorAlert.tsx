import { Alert, Button, Group, Text } from '@mantine/core';
import type { JobRecord, JobState } from '../../../shared/jobs.ts';
import { findProvider } from '../../../shared/providers/index.ts';
import { useConnections, useStores } from '../../stores/context.tsx';
import { pageOpener } from '../connections/SignInPanel.tsx';
import { STATES } from './job-info.ts';

/** For a provider that signs in through the vendor's page, when the sign-in is what failed: sign in again here. */
function SignInAgain({ job }: { job: JobRecord }) {
  const stores = useStores();
  const state = useConnections((s) => s.signIns[job.connectionId]);
  return (
    <Group gap="xs" mt="xs">
      <Button
        size="xs"
        loading={state?.pending}
        onClick={() => void stores.connections.getState().signIn(job.connectionId, pageOpener())}
      >
        Sign in again
      </Button>
      {state && !state.pending && (
        <Text size="sm" data-testid="job-sign-in-result">
          {state.message}
          {state.ok ? ' Retry the export.' : ''}
        </Text>
      )}
    </Group>
  );
}

/**
 * Opens a failed export's query again with the vendor's message under the field it is about; undefined
 * when the error names no field or the export's connection is gone.
 */
export function useEditAtField(job: JobRecord | undefined): (() => void) | undefined {
  const stores = useStores();
  const connections = useConnections((s) => s.connections);
  const err = job?.error;
  const connection = connections.find((c) => c.id === job?.connectionId);
  if (!job || !err?.field || !connection) return undefined;
  return () => {
    stores.builder.getState().editRecipe(job.recipe, connection.id, err);
    stores.app.getState().navigate('new-export');
  };
}

/**
 * What went wrong, in plain words: who said it, at which step, and what to do about it. When the vendor's
 * complaint is about one query field (an unknown creator), "Edit the query" opens the export again with
 * the message under that field.
 */
export function JobErrorAlert({ job }: { job: JobRecord }) {
  const edit = useEditAtField(job);
  const err = job.error;
  if (!err) return null;
  const step = STATES[err.step as JobState]?.label ?? err.step;
  const provider = findProvider(job.recipe.provider);
  const field = err.field ? provider?.queryFields.find((f) => f.key === err.field) : undefined;
  const signInFailed = !!provider?.browserSignIn && /sign/i.test(err.step);
  return (
    <Alert
      color="red"
      title={`${err.vendor} export failed while ${step.toLowerCase()}`}
      data-testid="job-error"
      role="alert"
    >
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
        {err.message}
        {err.status !== undefined && !err.message.includes(`HTTP ${err.status}`)
          ? ` (HTTP ${err.status})`
          : ''}
      </Text>
      {err.hint && (
        <Text size="sm" mt={4} fw={500}>
          What to do: {err.hint}
        </Text>
      )}
      {err.field && (
        <Text size="sm" mt={4}>
          This is about the query field “{field?.label ?? err.field}”.{' '}
          {edit && (
            <Button size="compact-sm" variant="light" color="red" onClick={edit}>
              Edit the query
            </Button>
          )}
        </Text>
      )}
      {signInFailed && <SignInAgain job={job} />}
    </Alert>
  );
}
