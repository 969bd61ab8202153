import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../../electron/http/client.ts';
import { HttpError } from '../../../electron/http/errors.ts';
import { isRetryable } from '../../../electron/http/retry.ts';
import { createTestCa, startHttpsServer, type HttpsTestServer, type TestCa } from './tls-fixture.ts';

let ca: TestCa;
let server: HttpsTestServer;

beforeAll(async () => {
  ca = await createTestCa();
  server = await startHttpsServer(ca);
});
afterAll(async () => {
  await server?.close();
  await ca?.cleanup();
});

describe('TLS with an extra CA', () => {
  it('refuses a server signed by an unknown CA, with a hint and no retry', async () => {
    const client = new HttpClient({ env: {} });
    try {
      const err = await client.request({ url: server.url }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HttpError);
      expect(err).toMatchObject({ kind: 'network' });
      expect((err as HttpError).code).toMatch(
        /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER/,
      );
      expect((err as Error).message).toMatch(/CA certificate/);
      expect(isRetryable(err)).toBe(false);
    } finally {
      await client.close();
    }
  });

  it('trusts the server once the CA file is added', async () => {
    const client = new HttpClient({ env: {}, caFile: ca.caFile });
    try {
      const res = await client.request({ url: server.url });
      expect(await res.json()).toEqual({ secure: true });
    } finally {
      await client.close();
    }
  });

  it('says plainly when the CA file cannot be used', () => {
    expect(() => new HttpClient({ caFile: path.join(ca.dir, 'missing.pem') })).toThrow(
      /cannot read the CA certificate file .*missing\.pem/,
    );
    expect(() => new HttpClient({ caFile: path.join(ca.dir, 'ext.cnf') })).toThrow(
      /holds no PEM certificate/,
    );
  });

  it('never turns certificate verification off anywhere in the main process', async () => {
    const root = path.resolve(import.meta.dirname, '../../../electron');
    const files = (await readdir(root, { recursive: true })).filter((f) => /\.[cm]?[jt]s$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const text = await readFile(path.join(root, f), 'utf8');
      expect(text, f).not.toMatch(/rejectUnauthorized\s*:\s*false|NODE_TLS_REJECT_UNAUTHORIZED/);
    }
  });
});
