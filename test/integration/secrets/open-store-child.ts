// Opens the secret store in a process of its own, so a test can give it an environment (no D-Bus,
// a D-Bus that never answers, a locked keyring) without disturbing the test runner's session.
// Usage: node --import tsx open-store-child.ts SERVICE PROBE_TIMEOUT_MS
import { openSecretStore } from '../../../electron/secrets/store.ts';

const [service, timeout] = process.argv.slice(2);
const started = Date.now();
const store = await openSecretStore({ service, probeTimeoutMs: Number(timeout) });
const result = { kind: store.kind, warning: store.warning, elapsedMs: Date.now() - started };
// A keytar call stuck on an unresponsive D-Bus keeps this process from exiting (even process.exit waits
// for it), so the parent may have to kill it once it has read this line.
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
