/**
 * The field catalogue GET /_rest/v4/dwh/Q serves (the reference doc's two events and a few more from the
 * data dictionary), and the values the simulator's reports hold for each field.
 */
import { INSIGHTS_COMMON_FIELDS } from '../../../shared/providers/intelepeer.ts';
import type { Picker } from '../cxone/random.ts';

export const CATALOGUE: Record<string, { fields: string[] }> = {
  ApplicationExitEvent: { fields: ['StartTime', 'EndTime', 'Path', 'ExitReason'] },
  DtmfEvent: { fields: ['DtmfInput', 'DtmfSource', 'ErrorReason'] },
  CallStartEvent: { fields: ['Ani', 'Dnis', 'Direction'] },
};

export const TIME_FIELDS = new Set(['TimeStamp', 'StartTime', 'EndTime']);

export function isEvent(name: string): boolean {
  return Object.hasOwn(CATALOGUE, name);
}

export function isField(event: string, field: string): boolean {
  return (
    (CATALOGUE[event]?.fields.includes(field) ?? false) ||
    (INSIGHTS_COMMON_FIELDS as readonly string[]).includes(field)
  );
}

/** The dictionary's "YYYY-DD-MM HH:MM:SS UTC" is a typo; the reports use year-month-day. */
const reportTime = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ') + ' UTC';

/** One value of `field` for a record of `event` at `atMs`, in session `session`. */
export function fieldValue(p: Picker, event: string, field: string, atMs: number, session: string): string {
  switch (field) {
    case 'EventName':
      return event;
    case 'EventVersion':
      return '1';
    case 'TimeStamp':
    case 'StartTime':
      return reportTime(atMs);
    case 'EndTime':
      return reportTime(atMs + p.int(1, 600) * 1000);
    case 'SessionId':
      return session;
    case 'CustomerId':
      return '7001';
    // The dictionary says these four are always empty.
    case 'EventSku':
    case 'HostId':
    case 'CustomerName':
    case 'Originator':
      return '';
    case 'FlowId':
      return p.pick(['5dcf48b453e0ab04386da7d1', '5dcf48b453e0ab04386da7d2']);
    case 'FlowName':
      return p.pick(['Main IVR', 'Après-vente, "VIP"', 'Billing']);
    case 'IsTriggerAction':
      return p.pick(['true', 'false']);
    case 'ExitReason':
      return p.pick(['Hangup', 'Transfer, "warm"', 'Timeout\nafter retry']);
    case 'DtmfInput':
      return p.pick(['007', '1#', '=1+2']);
    case 'Ani':
    case 'Dnis':
      return `+1555${p.digits(7)}`;
    case 'Direction':
      return p.pick(['inbound', 'outbound']);
    case 'Passthrough':
      return p.chance(0.5) ? '{"crm":"ticket-12"}' : '';
    default:
      return field.endsWith('Id') ? p.digits(12) : `${field}-${p.int(1, 99)}`;
  }
}
