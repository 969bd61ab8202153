/**
 * IntelePeer Insights v4 simulator: `startIntelepeerSimulator()` serves /_rest/v4/authenticate and
 * /_rest/v4/dwh/Q on 127.0.0.1 and writes report shards (gzip CSV) for an SFTP server to serve.
 * See intelepeer/server.ts for behaviour and test/helpers/sshd.ts for the real OpenSSH server.
 */
export { CATALOGUE } from './intelepeer/catalogue.ts';
export {
  NO_DATA_MESSAGES,
  QUERY_DATA_LIMIT_BYTES,
  startIntelepeerSimulator,
  type IntelepeerCall,
  type IntelepeerFault,
  type IntelepeerSimulator,
  type IntelepeerSimulatorOptions,
} from './intelepeer/server.ts';
