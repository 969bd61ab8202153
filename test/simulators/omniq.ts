/**
 * OmniQ "Get My Data" simulator: `startOmniqSimulator()` serves `GET ${url}/getmydata` on 127.0.0.1.
 * See omniq/server.ts for behaviour, omniq/data.ts for the generated records, omniq/faults.ts for faults.
 */
export {
  EXTERNAL_REF_BASE,
  generateOmniqRecords,
  isOmniqIndex,
  OMNIQ_INDEXES,
  OMNIQ_LATE_KEY_FROM,
  type OmniqIndex,
  type Row,
} from './omniq/data.ts';
export type { OmniqFault } from './omniq/faults.ts';
export { parseJson, stringifyJson } from './omniq/json.ts';
export { TOTAL_HITS_CAP } from './omniq/query.ts';
export {
  DEFAULT_TENANT,
  startOmniqSimulator,
  type LoggedRequest,
  type OmniqSimulator,
  type OmniqSimulatorOptions,
} from './omniq/server.ts';
