/** Every measurement, in the order of docs/performance.md. */
import type { BenchItem } from './items.ts';
import { csvItem } from './item-csv.ts';
import { sftpItem } from './item-sftp.ts';
import { jsonItem } from './item-json.ts';
import { memoryItem } from './item-memory.ts';
import { omniqItem } from './item-omniq.ts';
import { rateItem } from './item-rate.ts';
import { rendererItem } from './item-renderer.ts';
import { previewItem, saveItem } from './item-spool.ts';

export const ALL_ITEMS: BenchItem[] = [
  omniqItem,
  csvItem,
  sftpItem,
  jsonItem,
  memoryItem,
  saveItem,
  previewItem,
  rendererItem,
  rateItem,
];
