import { Alert, Box, Burger, Group, NavLink, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { View } from '../../stores/app-store.ts';
import { useApp, useStores } from '../../stores/context.tsx';
import { KeychainBanner } from '../connections/KeychainBanner.tsx';
import { keepFocus } from '../../ui/focus-keeper.ts';
import { ScheduleNotices } from '../schedules/ScheduleNotices.tsx';

const NAV: { view: View; label: string }[] = [
  { view: 'connections', label: 'Connections' },
  { view: 'new-export', label: 'New export' },
  { view: 'exports', label: 'Exports' },
  { view: 'recipes', label: 'Recipes' },
  { view: 'schedules', label: 'Schedules' },
  { view: 'settings', label: 'Settings' },
];

/**
 * Navigation on the left, the current screen on the right. Below 1100px wide the navigation folds into a
 * bar on top with a menu button (styles.css), so a 1024px window gives its whole width to the screen.
 */
export function AppLayout({ children }: { children: ReactNode }) {
  const stores = useStores();
  const view = useApp((s) => s.view);
  const loadError = useApp((s) => s.loadError);
  const [navOpen, setNavOpen] = useState(false);
  const main = useRef<HTMLElement>(null);
  useEffect(() => (main.current ? keepFocus(main.current) : undefined), []);
  return (
    <div className="ed-layout">
      <Box component="nav" aria-label="Main" className={navOpen ? 'ed-nav is-open' : 'ed-nav'}>
        <Group gap="xs" wrap="nowrap" className="ed-nav-head">
          <Burger
            size="sm"
            className="ed-burger"
            opened={navOpen}
            onClick={() => setNavOpen((o) => !o)}
            aria-label={navOpen ? 'Hide navigation' : 'Show navigation'}
            aria-expanded={navOpen}
            aria-controls="ed-nav-links"
          />
          <Title order={1} size="h4" px="sm" py="md">
            Export Desk
          </Title>
        </Group>
        <Stack gap={2} className="ed-nav-links" id="ed-nav-links">
          {NAV.map((item) => (
            <NavLink
              key={item.view}
              component="button"
              type="button"
              label={item.label}
              active={view === item.view}
              aria-current={view === item.view ? 'page' : undefined}
              onClick={() => {
                setNavOpen(false);
                stores.app.getState().navigate(item.view);
              }}
            />
          ))}
        </Stack>
        <Text size="xs" c="dimmed" px="sm" mt="auto" pb="sm" className="ed-nav-mode">
          {stores.client.kind === 'browser' ? 'Browser mode' : 'Desktop'}
        </Text>
      </Box>
      <Box component="main" className="ed-main" ref={main}>
        <Stack gap="sm" className="ed-screen">
          {loadError && (
            <Alert color="red" title="Export Desk is not answering" role="alert">
              {loadError}
            </Alert>
          )}
          <KeychainBanner />
          {children}
        </Stack>
        <ScheduleNotices />
      </Box>
    </div>
  );
}
