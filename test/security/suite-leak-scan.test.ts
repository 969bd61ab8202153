/**
 * The suite-wide leak scan itself: the registry keeps what it is given (long enough values only), the
 * scanner finds a planted value in each encoding wherever it sits in a file (across read chunks, inside
 * gzip), passes a clean folder, skips only the files excluded by design, and the command's report
 * counts in the test summary and names file and encoding but never the value.
 *
 * The planted values never enter the run's own registry (the test points EXPORTDESK_SECRET_LOG at a file
 * of its own while it registers), so its folders cannot make the suite-wide scan fail.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodings } from './leak-helpers.ts';
import { designedSecretFile } from './leak-exclusions.ts';
import { readRegistry, registerSecret, SECRET_LOG_ENV, type RegisteredSecret } from './secret-registry.ts';
import { NeedleSet, scanRoots } from './suite-scan.ts';

const run = promisify(execFile);
const REPO = path.resolve(import.meta.dirname, '../..');
// Quotes, a backslash and "???"/">>>" make all six encodings different bytes (base64 with "+" and "/").
const PLANTED = 'planted "Secret"\\dir+/=&?ü~>>>??';
const OTHER = 'other-token-1234567890abcdef';
const SECRETS: RegisteredSecret[] = [
  { value: PLANTED, source: 'test: planted secret' },
  { value: OTHER, source: 'test: other token' },
];
const FORMS = encodings(PLANTED).map(([form]) => form);
let dir: string;

/** A folder holding the planted value once per encoding, each in its own file amid other bytes. */
function plantedFolder(): string {
  const root = path.join(dir, 'planted');
  mkdirSync(path.join(root, 'data', 'jobs'), { recursive: true });
  encodings(PLANTED).forEach(([form, bytes], i) => {
    const file = path.join(root, 'data', i % 2 ? 'jobs' : '', `${form.replace(/\W/g, '_')}.log`);
    writeFileSync(
      file,
      Buffer.concat([Buffer.from(`line ${i}: Authorization `), bytes, Buffer.from(' end\n')]),
    );
  });
  return root;
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-scan-selftest-'));
});
// Removed whatever the run keeps: these files hold planted values on purpose.
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('secret registry', () => {
  it('records long enough values once, from any process, and reads back each value with its source', () => {
    const log = path.join(dir, 'registry.jsonl');
    const saved = process.env[SECRET_LOG_ENV];
    process.env[SECRET_LOG_ENV] = log;
    try {
      registerSecret(PLANTED, 'test: planted secret');
      registerSecret(PLANTED, 'test: planted secret');
      registerSecret('tiny-pw', 'test: too short');
      registerSecret(OTHER, 'test: other token');
    } finally {
      if (saved === undefined) delete process.env[SECRET_LOG_ENV];
      else process.env[SECRET_LOG_ENV] = saved;
    }
    // Another process's line for a known value, and a line cut short by a killed process.
    writeFileSync(log, `${readFileSync(log, 'utf8')}{"value":"${OTHER}","source":"x"}\n{"value":"cut`, {
      flag: 'w',
    });
    expect(readRegistry(log)).toEqual({ secrets: SECRETS, tooShort: 1 });
    expect(readFileSync(log, 'utf8')).not.toContain('tiny-pw');
  });

  it('records nothing without EXPORTDESK_SECRET_LOG', () => {
    const saved = process.env[SECRET_LOG_ENV];
    delete process.env[SECRET_LOG_ENV];
    try {
      registerSecret('not-recorded-anywhere-123', 'test');
    } finally {
      if (saved !== undefined) process.env[SECRET_LOG_ENV] = saved;
    }
    expect(readRegistry(path.join(dir, 'none.jsonl'))).toEqual({ secrets: [], tooShort: 0 });
  });
});

describe('scanner', () => {
  it('finds the planted value in each of the six encodings, naming file and encoding', () => {
    const root = plantedFolder();
    const result = scanRoots(new NeedleSet(SECRETS), [{ label: 'T', dir: root }]);
    expect(result.files).toBe(6);
    expect(result.findings).toHaveLength(6);
    FORMS.forEach((form, i) => {
      const file = `T/data/${i % 2 ? 'jobs/' : ''}${form.replace(/\W/g, '_')}.log`;
      const finding = result.findings.find((f) => f.file === file);
      expect(finding?.encodings, file).toContain(form);
      expect(finding?.source).toBe('test: planted secret');
    });
  });

  it('passes a clean folder and counts what it read', () => {
    const root = path.join(dir, 'clean');
    mkdirSync(root);
    writeFileSync(path.join(root, 'a.csv'), 'id,name\n1,planted-Secret\n2,other-token-123456789\n');
    writeFileSync(path.join(root, 'b.gz'), gzipSync('nothing secret here'));
    const result = scanRoots(new NeedleSet(SECRETS), [{ label: 'T', dir: root }]);
    expect(result).toMatchObject({ findings: [], files: 2 });
    expect(result.bytes).toBeGreaterThan(50);
  });

  it('finds a value split across two reads of a big file, at every offset', () => {
    const needles = new NeedleSet(SECRETS);
    const file = path.join(dir, 'big.bin');
    for (let at = 50; at < 80; at++) {
      const bytes = Buffer.alloc(200, 0x2e);
      Buffer.from(OTHER).copy(bytes, at);
      writeFileSync(file, bytes);
      const hits = new Set<string>();
      expect(needles.scanFile(file, hits, 64)).toBe(200);
      expect([...hits], `at ${at}`).toEqual(['1\tas typed']);
    }
  });

  it('finds base64 of a value inside a longer encoded text, at each alignment', () => {
    const needles = new NeedleSet(SECRETS);
    for (const id of ['', 'a', 'id', 'client-1:']) {
      const header = Buffer.from(`Authorization: Basic ${Buffer.from(`${id}${OTHER}:x`).toString('base64')}`);
      const url = Buffer.from(`?state=${Buffer.from(`${id}${OTHER}.`).toString('base64url')}`);
      for (const [what, buf] of [
        ['base64', header],
        ['base64url', url],
      ] as const) {
        const hits = new Set<string>();
        needles.scan(buf, hits);
        expect(
          [...hits].some((h) => /^1\tbase64(url)? \(inside/.test(h)),
          `${what} after "${id}"`,
        ).toBe(true);
      }
    }
  });

  it('looks inside gzip files, even one cut short', () => {
    const root = path.join(dir, 'gz');
    mkdirSync(root);
    const packed = gzipSync(Buffer.concat([Buffer.from(PLANTED), Buffer.alloc(100_000, 0x41)]));
    writeFileSync(path.join(root, 'shard.csv.gz'), packed.subarray(0, packed.length - 200));
    const { findings } = scanRoots(new NeedleSet(SECRETS), [{ label: 'T', dir: root }]);
    expect(findings).toEqual([
      { file: 'T/shard.csv.gz', encodings: ['as typed'], source: 'test: planted secret' },
    ]);
  });

  it('excludes only the files that hold a secret by design', () => {
    const root = '/tmp/run';
    expect(designedSecretFile('/tmp/run/exportdesk-sshd-Ab12/client_ed25519', root)).toMatch(/SSH server/);
    expect(designedSecretFile('/tmp/run/exportdesk-sftp-user.password', root)).toMatch(/password file/);
    expect(designedSecretFile('/tmp/run/tsx-0/1f2e.mjs', root)).toMatch(/compiled/);
    expect(designedSecretFile('/tmp/run/playwright-transform-cache-0/a/b.js', root)).toMatch(/compiled/);
    for (const kept of [
      '/tmp/run/exportdesk-sshd-Ab12/sshd_config',
      '/tmp/run/exportdesk-cli-x/exportdesk-sftp-user.password',
      '/tmp/run/exportdesk-cli-x/exportdesk-sshd-Ab12/client_ed25519',
      '/tmp/run/exportdesk-cli-x/tsx-0/log.txt',
      '/tmp/run/tsx-0',
      '/elsewhere/tsx-0/a.mjs',
    ])
      expect(designedSecretFile(kept, root), kept).toBeUndefined();
  });
});

describe('scripts/leak-scan.ts', () => {
  const scan = async (root: string, out: string) => {
    const registry = path.join(dir, 'cli-registry.jsonl');
    writeFileSync(registry, SECRETS.map((s) => JSON.stringify(s)).join('\n'));
    const args = ['bin/run-ts.mjs', 'scripts/leak-scan.ts', '--registry', registry, '--out', out];
    const child = await run(process.execPath, [...args, '--root', `T=${root}`], { cwd: REPO }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    const summary = await run(process.execPath, ['scripts/test-summary.mjs', out], { cwd: REPO }).then(
      (r) => r.stdout.trim(),
      (e: { stdout: string }) => e.stdout.trim(),
    );
    return { ...child, report: readFileSync(out), summary };
  };

  it('fails with one failed test per file and encoding, and never writes or prints the value', async () => {
    const r = await scan(plantedFolder(), path.join(dir, 'planted.json'));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Leak scan: 2 secret values .* in 6 files .* 6 found\./);
    expect(r.summary).toBe('0 passed, 6 failed');
    for (const form of FORMS) expect(r.stderr).toMatch(new RegExp(`[(] ?${form}[,)]`));
    const report = JSON.parse(String(r.report)) as { testResults: Array<{ assertionResults: unknown[] }> };
    expect(report.testResults[0]!.assertionResults).toHaveLength(6);
    for (const [where, bytes] of [
      ['report', r.report],
      ['output', Buffer.from(r.stdout + r.stderr)],
    ] as const)
      for (const [form, needle] of encodings(PLANTED))
        expect(bytes.includes(needle), `${where}: ${form}`).toBe(false);
  });

  it('passes a clean folder as one passed test', async () => {
    const clean = path.join(dir, 'clean-cli');
    mkdirSync(clean);
    writeFileSync(path.join(clean, 'job.json'), '{"state":"ready"}');
    const r = await scan(clean, path.join(dir, 'clean.json'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/in 1 files .* 0 found\./);
    expect(r.summary).toBe('1 passed, 0 failed');
  });
});
