import { MantineProvider } from '@mantine/core';
import { useEffect, useMemo, type ReactNode } from 'react';
import type { ExportDeskClient } from './api/index.ts';
import { ConnectionsPage } from './features/connections/ConnectionsPage.tsx';
import { ExportBuilderPage } from './features/export-builder/ExportBuilderPage.tsx';
import { JobDetail } from './features/jobs/JobDetail.tsx';
import { JobsPage } from './features/jobs/JobsPage.tsx';
import { AppLayout } from './features/layout/AppLayout.tsx';
import { placeFromHash, syncPlaceWithAddress } from './features/layout/routes.ts';
import { RecipesPage } from './features/recipes/RecipesPage.tsx';
import { SchedulesPage } from './features/schedules/SchedulesPage.tsx';
import { SettingsPage } from './features/settings/SettingsPage.tsx';
import { createStores, StoresProvider, useApp, useStores } from './stores/context.tsx';
import { cssVariablesResolver, theme } from './theme.ts';

function Screen() {
  const view = useApp((s) => s.view);
  const jobId = useApp((s) => s.jobId);
  switch (view) {
    case 'connections':
      return <ConnectionsPage />;
    case 'new-export':
      return <ExportBuilderPage />;
    case 'settings':
      return <SettingsPage />;
    case 'recipes':
      return <RecipesPage />;
    case 'schedules':
      return <SchedulesPage />;
    case 'exports':
      return jobId ? <JobDetail key={jobId} jobId={jobId} /> : <JobsPage />;
  }
}

/** Light or dark as the OS says, unless the settings force one. */
function Themed({ env, children }: { env: 'default' | 'test'; children: ReactNode }) {
  const choice = useApp((s) => s.settings?.theme ?? 'system');
  return (
    <MantineProvider
      theme={theme}
      cssVariablesResolver={cssVariablesResolver}
      env={env}
      defaultColorScheme="auto"
      {...(choice === 'system' ? {} : { forceColorScheme: choice })}
    >
      {children}
    </MantineProvider>
  );
}

function Startup() {
  const stores = useStores();
  useEffect(() => {
    const unsubscribe = stores.jobs.getState().subscribe();
    const unschedule = stores.schedules.getState().subscribe();
    const unroute = syncPlaceWithAddress(stores.app);
    void stores.app
      .getState()
      .load()
      .then(() => {
        const csv = stores.app.getState().settings?.defaultCsv;
        const builder = stores.builder.getState();
        if (csv && builder.step === 0 && !builder.connectionId) builder.reset(csv);
      });
    void stores.connections.getState().load();
    void stores.jobs.getState().load();
    void stores.schedules.getState().load();
    return () => {
      unsubscribe();
      unschedule();
      unroute();
    };
  }, [stores]);
  return null;
}

export function App({ client, env = 'default' }: { client: ExportDeskClient; env?: 'default' | 'test' }) {
  const stores = useMemo(() => {
    const made = createStores(client);
    // The first screen is the one the address names (a reload stays where it was).
    made.app.setState(placeFromHash(window.location.hash));
    return made;
  }, [client]);
  return (
    <StoresProvider stores={stores}>
      <Themed env={env}>
        <Startup />
        <AppLayout>
          <Screen />
        </AppLayout>
      </Themed>
    </StoresProvider>
  );
}
