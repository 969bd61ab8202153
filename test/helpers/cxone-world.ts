/**
 * A CXone test world: the vendor world (test/helpers/world.ts) with the CXone simulator and a "Tenant"
 * connection on its custom addresses.
 */
import { startCxoneSimulator, type CxoneSimulator, type CxoneSimulatorOptions } from '../simulators/cxone.ts';
import { testWorld, type World } from './world.ts';

export type CxoneWorld = World<CxoneSimulator>;

/** `settings`: more connection settings for the "Tenant" connection, as `--set key=value` would give. */
export function cxoneWorld(
  simOptions: CxoneSimulatorOptions = {},
  settings: Record<string, string> = {},
): Promise<CxoneWorld> {
  return testWorld({
    provider: 'cxone',
    startMs: Date.UTC(2025, 6, 1),
    simulator: (clock) => startCxoneSimulator({ clock, jobRunMs: 90_000, ...simOptions }),
    connection: {
      name: 'Tenant',
      secret: 'demo-secret',
      args: (sim) => [
        ...[
          '--set',
          'region=custom',
          '--set',
          `authBaseUrl=${sim.authUrl}`,
          '--set',
          `apiBaseUrl=${sim.apiUrl}`,
        ],
        ...['--set', 'accessKeyId=AK-DEMO'],
        ...Object.entries(settings).flatMap(([k, v]) => ['--set', `${k}=${v}`]),
        '--secret',
        'accessKeySecret',
      ],
    },
  });
}

/** A period of CXone's QM workflows, of entity version 3 unless `version` names another. */
export interface QmWorkflows {
  startDate: string;
  endDate: string;
  version?: string;
}

/** `exportdesk export` of the QM workflows of a period into `out` in the world's folder, `more` arguments after it. */
export function exportQmWorkflows(
  w: CxoneWorld,
  { startDate, endDate, version = '3' }: QmWorkflows,
  out = 'qm.csv',
  ...more: string[]
): ReturnType<CxoneWorld['run']> {
  return w.run([
    'export',
    w.recipe({ entityName: 'qm-workflows', version, startDate, endDate }),
    '--out',
    out,
    ...more,
  ]);
}
