import { describe, expect, it } from 'vitest';
import { endpoints } from '../../../electron/providers/cxone/api.ts';
import { CxoneConnectionSchema, cxoneProvider } from '../../../shared/providers/cxone.ts';

const base = { accessKeyId: 'key' };

describe('CXone regions', () => {
  it.each([
    ['na1', 'https://na1.nice-incontact.com'],
    ['na2', 'https://na2.nice-incontact.com'],
    ['au1', 'https://au1.nice-incontact.com'],
    ['eu1', 'https://eu1.niceincontact.com'],
    ['uk1', 'https://uk1.nice-incontact.com'],
    ['ca1', 'https://ca1.nice-incontact.com'],
    ['jp1', 'https://jp1.nice-incontact.com'],
  ])('%s signs in and extracts at %s', (region, host) => {
    const c = CxoneConnectionSchema.parse({ ...base, region });
    expect(endpoints(c)).toEqual({ auth: host, api: `${host}/data-extraction/V1` });
  });

  it('offers every area and custom addresses in the connection form', () => {
    const field = cxoneProvider.connectionFields.find((f) => f.key === 'region');
    expect(field?.options?.map((o) => o.value)).toEqual([
      'na1',
      'na2',
      'au1',
      'eu1',
      'uk1',
      'ca1',
      'jp1',
      'custom',
    ]);
  });

  it('refuses an area CXone does not run, naming the field', () => {
    const r = CxoneConnectionSchema.safeParse({ ...base, region: 'xx9' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['region']);
  });
});
