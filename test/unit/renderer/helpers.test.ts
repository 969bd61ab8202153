import { describe, expect, it } from 'vitest';
import { OmniqQuerySchema } from '../../../shared/providers/omniq.ts';
import { FIXED, readRange } from '../../../renderer/features/export-builder/date-range.ts';
import { fromWire, toWire } from '../../../shared/date-range.ts';
import { omniqProvider } from '../../../shared/providers/omniq.ts';
import { fieldOfMessage } from '../../../renderer/features/settings/settings-messages.ts';
import { excelPreset, localeUsesDecimalComma } from '../../../renderer/ui/csv-presets.ts';
import { formatDuration } from '../../../shared/job-text.ts';
import { secretLabel, validateConnection } from '../../../renderer/features/connections/connection-model.ts';
import { cxoneProvider } from '../../../shared/providers/cxone.ts';
import { getPath, setPath } from '../../../renderer/ui/paths.ts';
import { issuesByField } from '../../../renderer/ui/zod-issues.ts';

describe('form helpers', () => {
  it('reads a picked minute on a UTC clock, the end inclusive to its last millisecond', () => {
    const spec = omniqProvider.queryFields.find((f) => f.key === 'filterBy.createdAt')?.dateRange;
    if (!spec) throw new Error('OmniQ has a date range');
    expect(toWire(spec, '2025-05-20T00:00', false, 'UTC')).toBe('2025-05-20T00:00:00.000Z');
    expect(toWire(spec, '2025-05-31T23:59', true, 'UTC')).toBe('2025-05-31T23:59:59.999Z');
    expect(fromWire(spec, '2025-05-20T00:00:00.000Z', false, 'UTC')).toBe('2025-05-20T00:00');
    expect(fromWire(spec, '2025-05-31T23:59:59.999Z', true, 'UTC')).toBe('2025-05-31T23:59');
    expect(readRange(spec, { filterBy: { createdAt: 'yesterday' } }).choice).toBe('yesterday');
    expect(readRange(spec, { filterBy: { createdAt: { from: '', to: '' } } }).choice).toBe(FIXED);
  });

  it('puts each problem next to the field that can fix it, in words', () => {
    const r = OmniqQuerySchema.safeParse({
      index: 'ok',
      filterBy: { createdAt: 'soon', platform: { a: 1 } },
    });
    const errors = issuesByField(r.error, ['index', 'filterBy.createdAt', 'filterBy']);
    expect(errors['filterBy.createdAt']).toMatch(/ISO-8601/);
    expect(errors.filterBy).toBe('"platform" must be text, or a number, or true or false');
    expect(errors.index).toBeUndefined();
  });

  it('sets nested keys without leaving empty parents', () => {
    const q = setPath({ index: 'a' }, 'filterBy.createdAt', 'today');
    expect(getPath(q, 'filterBy.createdAt')).toBe('today');
    expect(setPath(q, 'filterBy.createdAt', undefined)).toEqual({ index: 'a' });
  });

  it('uses ; in the Excel preset where the locale writes decimal commas', () => {
    expect(localeUsesDecimalComma('1,5')).toBe(true);
    expect(localeUsesDecimalComma('1.5')).toBe(false);
    expect(excelPreset(true)).toMatchObject({ delimiter: ';', bom: true });
    expect(excelPreset(false)).toMatchObject({ delimiter: ',', bom: true });
  });

  it('says "<1s" for an export shorter than a second, never "0s"', () => {
    expect(formatDuration(0)).toBe('<1s');
    expect(formatDuration(640)).toBe('<1s');
    expect(formatDuration(1_000)).toBe('1s');
    expect(formatDuration(125_000)).toBe('2m 05s');
  });

  it('names a stored secret without the form\'s "(optional)"', () => {
    expect(secretLabel('API key (optional)')).toBe('API key');
    expect(secretLabel('Client secret')).toBe('Client secret');
  });

  it('routes a refused setting to its field', () => {
    expect(fieldOfMessage('Settings: the CA certificate file /x cannot be read.')).toBe('caFile');
    expect(fieldOfMessage('Settings: proxyUrl: Invalid URL')).toBe('proxyUrl');
    expect(fieldOfMessage('Settings: defaultCsv.delimiter: bad')).toBe('');
  });

  it('judges a provider without an API address field by its own fields only', () => {
    const values = { region: 'custom', authBaseUrl: 'http://127.0.0.1:1', apiBaseUrl: 'http://127.0.0.1:1' };
    expect(validateConnection(cxoneProvider, 'Tenant', { ...values, accessKeyId: 'AK-1' })).toEqual({});
    expect(validateConnection(cxoneProvider, 'Tenant', { ...values, accessKeyId: '' })).toEqual({
      accessKeyId: 'Enter the access key id (My Profile → Access Keys)',
    });
  });
});
