/**
 * The Xarios (myreports) connection the CLI tests add: the simulator's addresses (or a proxy's in front of
 * it), the demo client and any free port for the sign-in redirect; `settings` as `--set key=value`.
 */
export function xariosConnection<S>(
  addresses: (sim: S) => { apiUrl: string; authUrl: string },
  settings: readonly string[] = [],
): { name: string; secret: string; args(sim: S): string[] } {
  return {
    name: 'Xarios',
    secret: 'desk-secret',
    args: (sim) => {
      const { apiUrl, authUrl } = addresses(sim);
      return [
        ...['--set', 'region=custom', '--set', `apiBaseUrl=${apiUrl}`, '--set', `authority=${authUrl}`],
        ...['--set', 'clientId=desk-client', '--set', 'redirectPort=0', '--secret', 'clientSecret'],
        ...settings.flatMap((s) => ['--set', s]),
      ];
    },
  };
}
