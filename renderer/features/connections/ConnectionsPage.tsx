import { Alert, Badge, Button, Group, Modal, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Connection } from '../../../shared/api.ts';
import { connectionAddress } from '../../../shared/providers/address.ts';
import { findProvider } from '../../../shared/providers/index.ts';
import { useConnections, useJobs, useStores } from '../../stores/context.tsx';
import { ConnectionForm } from './ConnectionForm.tsx';
import { secretLabel } from './connection-model.ts';
import { TenantJobsPanel } from './TenantJobsPanel.tsx';
import { SignInPanel } from './SignInPanel.tsx';
import { ErrorText } from '../../ui/ErrorText.tsx';
import { useAction } from '../../ui/use-action.ts';
import { formatClock } from '../../ui/format.ts';
import { CONNECTION_TEST, ResultAlert } from '../../ui/ResultAlert.tsx';

function ConnectionRow({
  c,
  justSaved,
  onEdit,
  onDelete,
}: {
  c: Connection;
  /** Saved a moment ago from the form: the card says so and scrolls into view. */
  justSaved: boolean;
  onEdit(): void;
  onDelete(): void;
}) {
  const stores = useStores();
  const card = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (justSaved) card.current?.scrollIntoView({ block: 'nearest' });
  }, [justSaved]);
  const test = useConnections((s) => s.tests[c.id]);
  const provider = findProvider(c.provider);
  const address = provider ? connectionAddress(provider, c.settings) : '';
  const [showJobs, setShowJobs] = useState(false);
  return (
    <Paper withBorder p="sm" component="li" ref={card} aria-label={c.name} data-testid="connection-row">
      <Group justify="space-between" wrap="nowrap">
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Text fw={600}>{c.name}</Text>
          <Text size="sm" c="dimmed" truncate>
            {provider?.name ?? c.provider}
            {address ? ` · ${address}` : ''}
          </Text>
          <Group gap={4}>
            {Object.entries(c.secrets)
              .filter(([field]) => field !== provider?.browserSignIn?.secret)
              .map(([field, stored]) => (
                <Badge key={field} size="sm" variant="light" color={stored ? 'teal' : 'gray'} tt="none">
                  {secretLabel(provider?.connectionFields.find((f) => f.key === field)?.label ?? field)}{' '}
                  {c.secretsFromEnv?.[field] ? 'from environment' : stored ? 'stored' : 'not set'}
                </Badge>
              ))}
          </Group>
        </Stack>
        <Group gap="xs" wrap="nowrap">
          {provider?.capabilities.tenantJobs && (
            <Button
              variant="default"
              onClick={() => setShowJobs((v) => !v)}
              aria-expanded={showJobs}
              aria-label={`Jobs on this tenant: ${c.name}`}
            >
              Jobs on this tenant
            </Button>
          )}
          <Button
            variant="light"
            loading={test?.pending}
            onClick={() => void stores.connections.getState().test(c.id)}
            aria-label={`Test ${c.name}`}
          >
            Test
          </Button>
          <Button
            variant="default"
            onClick={onEdit}
            aria-label={`Edit ${c.name}`}
            data-opens={`edit-${c.id}`}
          >
            Edit
          </Button>
          <Button variant="subtle" color="red" onClick={onDelete} aria-label={`Delete ${c.name}`}>
            Delete
          </Button>
        </Group>
      </Group>
      {justSaved && (
        <Text size="sm" c="teal" mt="xs" role="status">
          Saved “{c.name}”.
        </Text>
      )}
      {provider?.browserSignIn && <SignInPanel c={c} secret={provider.browserSignIn.secret} />}
      {test && !test.pending && (
        <ResultAlert
          mt="sm"
          ok={test.ok}
          titles={CONNECTION_TEST}
          message={test.message}
          when={test.at === undefined ? undefined : `Tested ${formatClock(test.at)}`}
          testId="connection-test-result"
          timeTestId="connection-test-time"
        />
      )}
      {showJobs && <TenantJobsPanel connection={c} />}
    </Paper>
  );
}

export function ConnectionsPage() {
  const stores = useStores();
  const connections = useConnections((s) => s.connections);
  const loadError = useConnections((s) => s.error);
  const [editing, setEditing] = useState<Connection | 'new'>();
  const [deleting, setDeleting] = useState<Connection>();
  const [justSaved, setJustSaved] = useState<string>();
  const { error: deleteError, setError: setDeleteError, run } = useAction();
  // The button that opened the form (data-opens), which has focus again when the form closes.
  const opener = useRef<string>(undefined);
  useLayoutEffect(() => {
    if (editing || !opener.current) return;
    document.querySelector<HTMLElement>(`[data-opens="${opener.current}"]`)?.focus();
    opener.current = undefined;
  }, [editing]);
  // The exports a retry would run through this connection: the runner finds it by the recipe's name.
  const usedBy = useJobs((s) =>
    deleting
      ? Object.values(s.jobs).filter(
          (j) =>
            j.connectionId === deleting.id ||
            j.recipe.connection.toLowerCase() === deleting.name.toLowerCase(),
        ).length
      : 0,
  );

  const confirmDelete = async () => {
    if (deleting && (await run('delete', () => stores.connections.getState().remove(deleting.id))))
      setDeleting(undefined);
  };

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Connections</Title>
        {!editing && (
          <Button
            data-opens="add"
            onClick={() => {
              setJustSaved(undefined);
              opener.current = 'add';
              setEditing('new');
            }}
          >
            Add connection
          </Button>
        )}
      </Group>
      {loadError && (
        <Alert color="red" title="Could not load connections">
          {loadError}
        </Alert>
      )}
      {editing ? (
        <ConnectionForm
          key={editing === 'new' ? 'new' : editing.id}
          {...(editing === 'new' ? {} : { connection: editing })}
          onDone={(saved) => {
            setEditing(undefined);
            setJustSaved(saved?.id);
          }}
        />
      ) : connections.length === 0 ? (
        <Text c="dimmed">No connections yet. Add one to start an export.</Text>
      ) : (
        <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Connections">
          {connections.map((c) => (
            <ConnectionRow
              key={c.id}
              c={c}
              justSaved={c.id === justSaved}
              onEdit={() => {
                opener.current = `edit-${c.id}`;
                setEditing(c);
              }}
              onDelete={() => {
                setDeleteError(undefined);
                setDeleting(c);
              }}
            />
          ))}
        </Stack>
      )}
      <Modal opened={!!deleting} onClose={() => setDeleting(undefined)} title="Delete connection?">
        <Stack>
          <Text>
            Delete “{deleting?.name}” and its stored secrets? Exports already made stay in the history.
          </Text>
          {usedBy > 0 && (
            <Text data-testid="delete-connection-usage">
              {usedBy === 1 ? '1 export uses' : `${usedBy} exports use`} “{deleting?.name}”. Their rows and
              saved files stay, but Retry and Run again will not work until you add a connection named “
              {deleting?.name}” again.
            </Text>
          )}
          <ErrorText size="md">{deleteError}</ErrorText>
          <Group justify="end">
            <Button variant="default" onClick={() => setDeleting(undefined)} data-autofocus>
              Cancel
            </Button>
            <Button color="red" onClick={() => void confirmDelete()}>
              Delete
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
