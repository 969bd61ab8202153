/**
 * Omni documents API simulator: `startOmniSimulator()` serves an organisation on 127.0.0.1 with the
 * documents list (v1 and unstable), SCIM users, labels and the 60-a-minute limit per key.
 * See omni/server.ts for behaviour, omni/documents.ts for the cursor, omni/data.ts for the data.
 */
export type { Organisation, SimDocument, SimUser } from './omni/data.ts';
export type { ApiPath } from './omni/documents.ts';
export {
  startOmniSimulator,
  type OmniCall,
  type OmniFault,
  type OmniSimulator,
  type OmniSimulatorOptions,
} from './omni/server.ts';
