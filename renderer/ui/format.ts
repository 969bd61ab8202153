/** Human-sized numbers for the job view. */

const nf = new Intl.NumberFormat();

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return `${u === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

export function formatRate(rows: number, ms: number): string {
  if (ms <= 0 || rows === 0) return '—';
  return `${nf.format(Math.round(rows / (ms / 1000)))} rows/s`;
}

export function formatTime(iso: string | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** A time of day for "Tested 14:02": hours and minutes in the user's locale. */
export function formatClock(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}
