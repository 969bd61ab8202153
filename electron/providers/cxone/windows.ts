// The split of a range into jobs lives in shared/, where the window's estimate reads it too.
export { addDays, jobRanges } from '../../../shared/providers/cxone-windows.ts';
