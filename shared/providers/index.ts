import { cxoneProvider } from './cxone.ts';
import { omniProvider } from './omni.ts';
import { myreportsProvider } from './myreports.ts';
import { intelepeerProvider } from './intelepeer.ts';
import { omniqProvider } from './omniq.ts';
import type { ProviderDefinition } from './types.ts';

export const PROVIDERS = [
  omniqProvider,
  cxoneProvider,
  omniProvider,
  myreportsProvider,
  intelepeerProvider,
] as const satisfies readonly ProviderDefinition[];
export type ProviderId = (typeof PROVIDERS)[number]['id'];
export const PROVIDER_IDS = PROVIDERS.map((p) => p.id) as [ProviderId, ...ProviderId[]];

export function findProvider(id: string): ProviderDefinition | undefined {
  return PROVIDERS.find((p) => p.id === id);
}

/** Vendors' default addresses, for providers whose connection has one `baseUrl`. */
export const DEFAULT_BASE_URLS: Partial<Record<ProviderId, string>> = {
  omniq: 'https://api.omniq.icq24.com',
};
