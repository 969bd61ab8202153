/** The messages between a CSV spool (csv-profile.ts) and the worker thread that profiles its records. */
import type { SpoolProfile } from '../../shared/profile.ts';
import type { RecordDelimiter } from './csv-scan.ts';

/** What the worker starts with: where the records are and how to read them. */
export interface ProfileWorkerData {
  /** source.csv of the spool. */
  path: string;
  delimiter: RecordDelimiter;
  /** Byte offset of the first data record. */
  dataStart: number;
  /** The header's names, made unique. */
  columns: string[];
}

export type ToProfileWorker =
  /** The records up to byte `bytes` (`rowCount` of them) are in the file and may be read. */
  | { type: 'published'; bytes: number; rowCount: number }
  /** No more records come: profile the last ones published, then say done. */
  | { type: 'end' };

export type FromProfileWorker =
  | { type: 'progress'; profile: SpoolProfile }
  | { type: 'done'; profile: SpoolProfile }
  | { type: 'failed'; reason: string };
