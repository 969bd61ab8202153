import { cxoneRuntime } from './cxone.ts';
import { omniRuntime } from './omni.ts';
import { myreportsRuntime } from './myreports.ts';
import { intelepeerRuntime } from './intelepeer.ts';
import { omniqRuntime } from './omniq.ts';
import type { ProviderRuntime } from '../jobs/provider.ts';

const RUNTIMES: Record<string, ProviderRuntime<never, never>> = {
  omniq: omniqRuntime as ProviderRuntime<never, never>,
  cxone: cxoneRuntime as ProviderRuntime<never, never>,
  omni: omniRuntime as ProviderRuntime<never, never>,
  myreports: myreportsRuntime as ProviderRuntime<never, never>,
  intelepeer: intelepeerRuntime as ProviderRuntime<never, never>,
};

export function providerRuntime(id: string): ProviderRuntime<unknown, unknown> | undefined {
  return RUNTIMES[id] as ProviderRuntime<unknown, unknown> | undefined;
}
