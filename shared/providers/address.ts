import type { ProviderDefinition } from './types.ts';

/** The API address a connection talks to, whichever setting holds it (its own field, or its region). */
export function connectionAddress(
  provider: Pick<ProviderDefinition, 'address'>,
  settings: Readonly<Record<string, unknown>>,
): string {
  const { field, regions } = provider.address;
  const own = settings[field];
  if (typeof own === 'string' && own !== '') return own;
  const region = settings.region;
  return (typeof region === 'string' && regions?.[region]?.host) || '';
}

/**
 * The settings that point a connection at another host, as `key=value` templates: `region=custom` first
 * for a vendor with regions, then the address fields.
 */
export function addressSettings(provider: Pick<ProviderDefinition, 'address'>): string[] {
  const { field, regions, alsoSet = [] } = provider.address;
  return [...(regions ? ['region=custom'] : []), ...[field, ...alsoSet].map((f) => `${f}=URL`)];
}
