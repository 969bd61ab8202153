import { MantineProvider } from '@mantine/core';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { createStores, StoresProvider, type Stores } from '../../../renderer/stores/context.tsx';
import type { FakeClient } from './fake-client.ts';

/** Renders a piece of the window with real stores over a fake client; Mantine without portals or transitions. */
export function renderWith(client: FakeClient, ui: ReactNode, stores: Stores = createStores(client)) {
  const result = render(
    <StoresProvider stores={stores}>
      <MantineProvider env="test">{ui}</MantineProvider>
    </StoresProvider>,
  );
  return { ...result, stores };
}

/** happy-dom lays nothing out; the virtualizers need a viewport size to render any rows. */
export function fakeViewport(width = 1200, height = 420): void {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => height });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => width });
}
