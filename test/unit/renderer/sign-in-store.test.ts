import { describe, expect, it } from 'vitest';
import { createConnectionsStore } from '../../../renderer/stores/connections-store.ts';
import { FakeClient } from './fake-client.ts';

describe('connections store: browser sign-in', () => {
  it('hands the page to open over, then waits for the result and reloads the stored flags', async () => {
    let signedIn = false;
    const client = new FakeClient({
      'connections.signIn': () => ({
        url: 'https://login.xarios.cloud/connect/authorize?x=1',
        opened: false,
      }),
      'connections.signInResult': () => {
        signedIn = true;
        return { signedIn: true, message: 'Signed in: "X" is ready to export.' };
      },
      'connections.list': () => [
        {
          id: 'c1',
          name: 'X',
          provider: 'myreports',
          settings: {},
          secrets: { clientSecret: true, refreshToken: signedIn },
          createdAt: '',
          updatedAt: '',
        },
      ],
    });
    const store = createConnectionsStore(client);
    const opened: Array<[string | undefined, boolean]> = [];
    await store.getState().signIn('c1', (url, wasOpened) => opened.push([url, wasOpened]));
    expect(opened).toEqual([['https://login.xarios.cloud/connect/authorize?x=1', false]]);
    expect(store.getState().signIns.c1).toMatchObject({ pending: false, ok: true });
    expect(store.getState().connections[0]?.secrets.refreshToken).toBe(true);
  });

  it('says why when the sign-in cannot start, and lets the opener close its tab', async () => {
    const client = new FakeClient({
      'connections.signIn': () => {
        throw new Error('No client secret is stored for this connection.');
      },
      'connections.list': () => [],
    });
    const store = createConnectionsStore(client);
    const opened: Array<[string | undefined, boolean]> = [];
    await store.getState().signIn('c1', (url, wasOpened) => opened.push([url, wasOpened]));
    expect(opened).toEqual([[undefined, false]]);
    expect(store.getState().signIns.c1).toMatchObject({
      pending: false,
      ok: false,
      message: 'No client secret is stored for this connection.',
    });
  });
});
