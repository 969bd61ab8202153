import { Anchor, Badge, Button, Code, Group, Stack, Text } from '@mantine/core';
import type { Connection } from '../../../shared/api.ts';
import { useConnections, useStores } from '../../stores/context.tsx';
import { formatClock } from '../../ui/format.ts';
import { ResultAlert } from '../../ui/ResultAlert.tsx';

/** Opens the vendor's page in a new tab that cannot reach back into this window. */
export function pageOpener(): (url: string | undefined, opened: boolean) => void {
  // Opened during the click, so no popup blocker stands in the way; pointed at the page once it is known.
  const tab = window.open('', '_blank');
  return (url, opened) => {
    if (!tab) return;
    if (opened || !url) {
      tab.close();
      return;
    }
    tab.opener = null;
    tab.location.href = url;
  };
}

/** For providers whose users sign in through the vendor's page: whether signed in, and a button to. */
export function SignInPanel({ c, secret }: { c: Connection; secret: string }) {
  const stores = useStores();
  const state = useConnections((s) => s.signIns[c.id]);
  const signedIn = c.secrets[secret] === true;
  return (
    <Stack gap={4} mt="xs">
      <Group gap="xs">
        <Badge
          size="sm"
          variant="light"
          color={signedIn ? 'teal' : 'gray'}
          tt="none"
          data-testid="sign-in-status"
        >
          {signedIn ? 'Signed in' : 'Not signed in'}
        </Badge>
        <Button
          size="xs"
          variant={signedIn ? 'default' : 'filled'}
          loading={state?.pending}
          aria-label={`Sign in ${c.name}`}
          onClick={() => void stores.connections.getState().signIn(c.id, pageOpener())}
        >
          {signedIn ? 'Sign in again' : 'Sign in'}
        </Button>
      </Group>
      {state?.pending && state.url && (
        <Text size="sm" data-testid="sign-in-waiting">
          Approve the request on the vendor’s page in your browser. If it did not open,{' '}
          <Anchor href={state.url} target="_blank" rel="noopener noreferrer">
            open the sign-in page
          </Anchor>{' '}
          or copy <Code>{state.url}</Code>.
        </Text>
      )}
      {state && !state.pending && (
        <ResultAlert
          ok={state.ok}
          titles={['Sign-in complete', 'Sign-in failed']}
          message={state.message}
          when={
            state.at === undefined
              ? undefined
              : `${state.ok ? 'Signed in' : 'Tried'} ${formatClock(state.at)}`
          }
          testId="sign-in-result"
        />
      )}
    </Stack>
  );
}
