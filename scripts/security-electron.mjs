// `npm run security:electron`: Doyensec's Electronegativity over the Electron main process and preload
// (electron/), failing on any high-severity finding. Runs offline: the tool's one network call (a
// translation download) is answered locally, so it uses its bundled English texts and nothing leaves the
// machine. Writes a JSON report (one test per check) that scripts/test-summary.mjs adds to the totals.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const toolDir = path.dirname(require.resolve('@doyensec/electronegativity/package.json'));
const toolRequire = createRequire(path.join(toolDir, 'dist', 'locales', 'i18n.js'));

// Answer the translation download before the tool loads it: a rejected request makes it fall back to
// the locales it ships with, as it does on any machine without a network.
const gotPath = toolRequire.resolve('got');
const offline = () => Promise.reject(new Error('offline: translations are not downloaded'));
require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: offline };

function electronVersion() {
  try {
    return JSON.parse(readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version;
  } catch {
    const range = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).optionalDependencies
      .electron;
    return range.replace(/^[^\d]*/, '');
  }
}

const input = path.join(root, 'electron');
const runner = toolRequire(path.join(toolDir, 'dist', 'runner.js'));
const run = runner.default ?? runner;
const result = await run(
  {
    input,
    isRelative: true,
    severitySet: 'informational',
    confidenceSet: 'tentative',
    customScan: [],
    excludeFromScan: [],
    electronVersionOverride: electronVersion(),
    parserPlugins: [],
  },
  false,
);

const high = result.issues.filter((i) => i.severity.name === 'HIGH');
for (const i of result.issues) {
  console.log(
    `${i.severity.name.padEnd(13)} ${i.confidence.name.padEnd(10)} ${i.id}  ${i.file}:${i.location.line}:${i.location.column}`,
  );
}
const hard = result.errors.filter((e) => !e.tolerable);
for (const e of hard) console.error(`Could not parse ${e.file}: ${e.message}`);
const checks = result.globalChecks + result.atomicChecks;
const failedChecks = new Set(high.map((i) => i.id)).size;
console.log(
  `Electronegativity ${checks} checks over ${path.relative(root, input)}/ (Electron ${electronVersion()}): ` +
    `${result.issues.length} finding(s), ${high.length} of high severity, ${hard.length} file(s) not parsed.`,
);

const report = process.argv.includes('--json') ? process.argv[process.argv.indexOf('--json') + 1] : undefined;
if (report) {
  mkdirSync(path.dirname(report), { recursive: true });
  writeFileSync(
    report,
    JSON.stringify({
      numPassedTests: checks - failedChecks,
      numFailedTests: failedChecks + hard.length,
      numFailedTestSuites: 0,
      findings: result.issues.map((i) => ({
        id: i.id,
        severity: i.severity.name,
        confidence: i.confidence.name,
        file: i.file,
        line: i.location.line,
      })),
    }),
  );
}
process.exit(high.length === 0 && hard.length === 0 ? 0 : 1);
