import { Alert, Box, NavLink, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { View } from '../../stores/app-store.ts';
import { useApp, useStores } from '../../stores/context.tsx';
import { KeychainBanner } from '../connections/KeychainBanner.tsx';

const NAV: { view: View; label: string }[] = [
  { view: 'connections', label: 'Connections' },
  { view: 'new-export', label: 'New export' },
  { view: 'exports', label: 'Exports' },
  { view: 'settings', label: 'Settings' },
];

/** Navigation on the left, the current screen on the right; fits a 1280x800 window. */
export function AppLayout({ children }: { children: ReactNode }) {
  const stores = useStores();
  const view = useApp((s) => s.view);
  const loadError = useApp((s) => s.loadError);
  return (
    <div className="ed-layout">
      <Box component="nav" aria-label="Main" className="ed-nav">
        <Title order={1} size="h4" px="sm" py="md">
          Export Desk
        </Title>
        <Stack gap={2}>
          {NAV.map((item) => (
            <NavLink
              key={item.view}
              component="button"
              type="button"
              label={item.label}
              active={view === item.view}
              aria-current={view === item.view ? 'page' : undefined}
              onClick={() => stores.app.getState().navigate(item.view)}
            />
          ))}
        </Stack>
        <Text size="xs" c="dimmed" px="sm" mt="auto" pb="sm">
          {stores.client.kind === 'browser' ? 'Browser mode' : 'Desktop'}
        </Text>
      </Box>
      <Box component="main" className="ed-main">
        <Stack gap="sm" className="ed-screen">
          {loadError && (
            <Alert color="red" title="Export Desk is not answering" role="alert">
              {loadError}
            </Alert>
          )}
          <KeychainBanner />
          {children}
        </Stack>
      </Box>
    </div>
  );
}
