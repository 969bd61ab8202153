/**
 * Xarios reporting API simulator: `startMyreportsSimulator()` serves the sign-in (authorize page, token
 * endpoint with PKCE, refresh, revocation) and /api/v1.0 (workspaces, reports, report requests that take
 * time, their status and results on the documented paths) on 127.0.0.1. See myreports/server.ts.
 */
export {
  startMyreportsSimulator,
  type MyreportsCall,
  type MyreportsSimulator,
  type MyreportsSimulatorOptions,
} from './myreports/server.ts';
export { CALL_FIELDS, LARGE_FIELDS, WORKSPACES, reportRow } from './myreports/reports.ts';
