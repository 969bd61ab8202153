export type Field = 'proxyUrl' | 'caFile' | 'keep' | '';

/** Which field a refusal from the main process is about, so the message shows next to it. */
export function fieldOfMessage(message: string): Field {
  if (/keepDays|keepGb|export data/i.test(message)) return 'keep';
  if (/proxy/i.test(message)) return 'proxyUrl';
  if (/\bCA\b|caFile|certificate/i.test(message)) return 'caFile';
  return '';
}
