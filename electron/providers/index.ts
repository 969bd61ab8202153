import { cxoneRuntime } from './cxone.ts';
import { omniRuntime } from './omni.ts';
import { myreportsRuntime } from './myreports.ts';
import { intelepeerRuntime } from './intelepeer.ts';
import { omniqRuntime } from './omniq.ts';
import type { ProviderRuntime } from '../jobs/provider.ts';

const RUNTIMES = [omniqRuntime, cxoneRuntime, omniRuntime, myreportsRuntime, intelepeerRuntime];

export function providerRuntime(id: string): ProviderRuntime<unknown, unknown> | undefined {
  return RUNTIMES.find((r) => r.definition.id === id) as ProviderRuntime<unknown, unknown> | undefined;
}
