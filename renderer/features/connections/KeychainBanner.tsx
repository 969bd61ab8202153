import { Alert, Button, Group, Text } from '@mantine/core';
import { useState } from 'react';
import { useApp } from '../../stores/context.tsx';

/**
 * Says plainly when secrets live only as long as this run, because no OS keychain could be used. It sits
 * above every screen, so it takes one line until the user asks for the details.
 */
export function KeychainBanner() {
  const keychain = useApp((s) => s.info?.keychain);
  const [open, setOpen] = useState(false);
  if (!keychain || keychain.kind !== 'memory') return null;
  const why =
    keychain.warning ??
    'No system keychain is available. Secrets you enter are forgotten when Export Desk closes.';
  return (
    <Alert color="yellow" role="alert" data-testid="keychain-banner" py={6} px="sm">
      <Group gap="xs" wrap="nowrap" align={open ? 'start' : 'center'}>
        <Text size="sm" fw={600} style={{ flex: 'none' }}>
          Secrets are kept for this session only.
        </Text>
        <Text
          size="sm"
          id="keychain-banner-details"
          style={{ flex: 1, minWidth: 0 }}
          truncate={open ? undefined : 'end'}
          title={open ? undefined : why}
        >
          {why}
          {open &&
            ' Connections keep their settings; enter their API keys and passwords again after a restart.'}
        </Text>
        <Button
          size="compact-xs"
          variant="subtle"
          style={{ flex: 'none' }}
          aria-expanded={open}
          aria-controls="keychain-banner-details"
          onClick={() => setOpen((o) => !o)}
        >
          {open ? 'Hide details' : 'Details'}
        </Button>
      </Group>
    </Alert>
  );
}
