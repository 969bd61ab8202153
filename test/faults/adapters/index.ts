/** Every provider in the fault matrix: one adapter file each. */
import type { ProviderAdapter } from '../types.ts';
import { cxoneAdapter } from './cxone.ts';
import { intelepeerAdapter } from './intelepeer.ts';
import { myreportsAdapter } from './myreports.ts';
import { omniAdapter } from './omni.ts';
import { omniqAdapter } from './omniq.ts';

export const ADAPTERS: ProviderAdapter[] = [
  omniqAdapter,
  cxoneAdapter,
  omniAdapter,
  myreportsAdapter,
  intelepeerAdapter,
];
