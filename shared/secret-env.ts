/**
 * Secrets from the environment, for machines with no OS keychain (servers, cron, CI runners, containers):
 * a connection's secret field may be given as EXPORTDESK_SECRET_<CONNECTION>_<FIELD>, the connection's
 * name and the field's name upper-cased with every character other than A-Z and 0-9 written as '_'
 * (connection "acme-eu", field "apiKey": EXPORTDESK_SECRET_ACME_EU_APIKEY). A value in the keychain wins.
 */
export const SECRET_ENV_PREFIX = 'EXPORTDESK_SECRET_';

function envPart(text: string): string {
  return text.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** The environment variable that may hold one secret field of a connection, by the connection's name. */
export function secretEnvName(connectionName: string, field: string): string {
  return `${SECRET_ENV_PREFIX}${envPart(connectionName)}_${envPart(field)}`;
}

/**
 * The environment for a program that is not Export Desk (a browser launcher, an opener): everything but
 * the secrets, which only Export Desk's own processes need.
 */
export function withoutSecrets(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && !key.startsWith(SECRET_ENV_PREFIX)) out[key] = value;
  }
  return out;
}
