import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { cxoneWorld, type CxoneWorld } from '../../helpers/cxone-world.ts';

let w: CxoneWorld;
afterEach(async () => {
  await w.close();
});

async function setConnection(settings: Record<string, string>): Promise<void> {
  const c = await w.app.connections.get('Tenant');
  await w.app.connections.save({
    id: c.id,
    name: c.name,
    provider: 'cxone',
    settings: { ...c.settings, ...settings },
  });
}

async function testConnection(): Promise<string> {
  const r = await w.run(['connections', 'test', 'Tenant']);
  expect(r.code).toBe(1);
  return r.err;
}

/** A loopback port nothing listens on: a region or address that is wrong. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('testing a CXone connection says plainly what is wrong', () => {
  it('a wrong access key: refused at sign-in (401), or the sign-in request refused (400)', async () => {
    w = await cxoneWorld();
    await w.app.connections.setSecret('Tenant', 'accessKeySecret', 'not-the-secret');
    expect(await testConnection()).toContain(
      'CXone refused the access key: check its id and secret (My Profile → Access Keys), and that it is active.',
    );
    await w.app.connections.setSecret('Tenant', 'accessKeySecret', 'demo-secret');
    w.sim.injectSignInFaults({ kind: 'status', status: 400, body: '{"message":"Invalid accessKeyId"}' });
    const bad = await testConnection();
    expect(bad).toContain('HTTP 400 Bad Request: Invalid accessKeyId');
    expect(bad).toContain('Check the access key id and secret of this connection.');
  });

  it('a key without the Data Extraction permission (403), and one that may not extract an entity', async () => {
    w = await cxoneWorld({ permissions: { 'AK-DEMO': [] } });
    expect(await testConnection()).toContain(
      'This access key may not view the extraction jobs of this tenant: ask your CXone administrator for the Data Extraction permission.',
    );
    await w.close();
    w = await cxoneWorld({ permissions: { 'AK-DEMO': ['recording-interaction-metadata'] } });
    const query = {
      entityName: 'qm-workflows',
      version: '3',
      startDate: '2025-05-01',
      endDate: '2025-05-01',
    };
    const r = await w.run(['export', w.recipe(query), '--out', 'x.csv']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('User does not have permission to extract qm-workflows');
    expect(r.err).toContain('ask your CXone administrator for the permission');
  });

  it('a wrong region or address: nothing answers there, or no CXone API is there (404)', async () => {
    w = await cxoneWorld();
    const port = await closedPort();
    await setConnection({ authBaseUrl: `http://127.0.0.1:${port}` });
    const refused = await testConnection();
    expect(refused).toContain(`Nothing answered at 127.0.0.1:${port} (ECONNREFUSED).`);
    expect(refused).toContain(
      'Check the region of this connection (the CXone area of the tenant, such as na1 or eu1) or its custom addresses',
    );

    await setConnection({ authBaseUrl: `${w.sim.authUrl}/somewhere-else` });
    const noSignIn = await testConnection();
    expect(noSignIn).toContain('HTTP 404 Not Found');
    expect(noSignIn).toContain('Check the region or the authentication address of this connection.');

    await setConnection({ authBaseUrl: w.sim.authUrl, apiBaseUrl: `${w.sim.authUrl}/somewhere-else` });
    const noApi = await testConnection();
    expect(noApi).toContain('HTTP 404 Not Found');
    expect(noApi).toContain('Check the region (or the API address) of this connection');
    expect(w.sim.violations()).toBe(0);
  });
});
