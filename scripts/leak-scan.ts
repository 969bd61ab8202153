/**
 * The suite-wide leak scan, run by scripts/test.sh after every suite:
 *
 *   node bin/run-ts.mjs scripts/leak-scan.ts --registry FILE --out test-results/leak-scan.json \
 *     --root TMPDIR=/tmp/run/tmp --root test-results=test-results [--expect renderer-frames=DIR]
 *
 * Reads the secret values the suite registered (test/security/secret-registry.ts), scans every file under
 * each root for each value in six encodings, prints the figures and writes a report in the shape of
 * Vitest's JSON (one passed test when nothing is found, one failed test per file and value found, naming
 * the file, the encodings and where the value came from, never the value) for scripts/test-summary.mjs. Exits 1 when anything was found.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readRegistry, MIN_SECRET_LENGTH, SECRET_LOG_ENV } from '../test/security/secret-registry.ts';
import { NeedleSet, scanRoots, type ScanRoot } from '../test/security/suite-scan.ts';
import { designedSecretFile } from '../test/security/leak-exclusions.ts';

const { values: args } = parseArgs({
  options: {
    registry: { type: 'string', default: process.env[SECRET_LOG_ENV] ?? '' },
    out: { type: 'string', default: 'test-results/leak-scan.json' },
    root: { type: 'string', multiple: true, default: [] },
    expect: { type: 'string', multiple: true, default: [] },
  },
});

const pair = (text: string): [string, string] => {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new Error(`Expected LABEL=DIR, got "${text}".`);
  return [text.slice(0, eq), path.resolve(text.slice(eq + 1))];
};

const out = path.resolve(args.out);
const roots: ScanRoot[] = args.root.map((r) => {
  const [label, dir] = pair(r);
  return { label, dir };
});
const { secrets, tooShort } = args.registry ? readRegistry(args.registry) : { secrets: [], tooShort: 0 };
const needles = new NeedleSet(secrets);
const registry = args.registry ? path.resolve(args.registry) : '';
const result = scanRoots(needles, roots, (file, root) => {
  if (file === out) return 'this report, which lists no values';
  if (file === registry) return 'the registry of the values looked for';
  return designedSecretFile(file, root.dir);
});

interface Assertion {
  title: string;
  status: 'passed' | 'failed';
  failureMessages: string[];
}
const tests: Assertion[] = [];
const fail = (title: string, message: string) =>
  tests.push({ title, status: 'failed', failureMessages: [message] });

if (secrets.length === 0)
  fail(
    'secret values were registered',
    `No secret value in the registry ${args.registry || '(none given)'}.`,
  );
for (const e of args.expect) {
  const [label, dir] = pair(e);
  if (!existsSync(dir) || readdirSync(dir).length === 0)
    fail(`${label} were recorded`, `Nothing under ${dir}: the recording of ${label} did not work.`);
}
for (const f of result.findings)
  fail(
    `${f.file} holds no secret`,
    `${f.file}: a value from "${f.source}" is in it (${f.encodings.join(', ')}).`,
  );
if (tests.length === 0)
  tests.push({
    title: 'no registered secret in any file the suite left',
    status: 'passed',
    failureMessages: [],
  });

const failed = tests.filter((t) => t.status === 'failed').length;
const report = {
  numPassedTests: tests.length - failed,
  numFailedTests: failed,
  numFailedTestSuites: failed > 0 ? 1 : 0,
  numTotalTests: tests.length,
  values: secrets.length,
  needles: needles.size,
  minLength: MIN_SECRET_LENGTH,
  tooShort,
  files: result.files,
  bytes: result.bytes,
  roots: roots.map((r) => `${r.label}=${r.dir}`),
  excluded: result.excluded,
  testResults: [{ name: 'leak scan', assertionResults: tests }],
};
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);

console.log(
  `Leak scan: ${secrets.length} secret values (${needles.size} encoded forms, ${MIN_SECRET_LENGTH}+ characters) ` +
    `in ${result.files.toLocaleString('en-US')} files (${result.bytes.toLocaleString('en-US')} bytes) ` +
    `under ${roots.map((r) => r.label).join(', ')}; ${result.excluded.length} excluded by design; ` +
    `${result.findings.length} found.` +
    (tooShort ? ` (${tooShort} values under ${MIN_SECRET_LENGTH} characters were not looked for.)` : ''),
);
for (const t of tests.filter((x) => x.status === 'failed')) console.error(`  LEAK? ${t.failureMessages[0]}`);
process.exit(failed > 0 ? 1 : 0);
