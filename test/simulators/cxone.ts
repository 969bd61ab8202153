/**
 * NICE CXone Data Extraction simulator: `startCxoneSimulator()` serves the access-key token endpoints,
 * `/data-extraction/V1/jobs` (and `/v1`) and a local "S3" for the job files on 127.0.0.1.
 * See cxone/server.ts for behaviour, cxone/rows.ts and cxone/csv.ts for the generated files.
 */
export {
  CXONE_SIM_ENTITIES,
  INTERACTION_METADATA_COLUMNS,
  QM_WORKFLOW_COLUMNS,
  type CxoneEntityKind,
} from './cxone/columns.ts';
export type { TokenResponse } from './cxone/auth.ts';
export { CSV_BOM } from './cxone/csv.ts';
export { FILE_KEPT_MS } from './cxone/jobs.ts';
export { TENANT_DISPLAY_NAME } from './cxone/rows.ts';
export { LINK_LIFETIME_SECONDS, type Download } from './cxone/s3.ts';
export {
  CALL_SPACING_MS,
  ONE_USER_RULE,
  startCxoneSimulator,
  THIRTY_SECOND_RULE,
  type CxoneCall,
  type CxoneFault,
  type CxoneSimulator,
  type CxoneSimulatorOptions,
} from './cxone/server.ts';
