import { describe, expect, it } from 'vitest';
import { events, requests } from '../../../shared/api.ts';
import { EVENT_NAMES, REQUEST_NAMES, methodName } from '../../../shared/api-names.ts';

describe('api-names', () => {
  it('lists exactly the requests and events of the contract', () => {
    expect([...REQUEST_NAMES]).toEqual(Object.keys(requests));
    expect([...EVENT_NAMES]).toEqual(Object.keys(events));
  });

  it('camel-cases request names into method names', () => {
    expect(methodName('connections.list')).toBe('connectionsList');
    expect(methodName('connections.setSecret')).toBe('connectionsSetSecret');
    expect(methodName('exports.prepareDownload')).toBe('exportsPrepareDownload');
    expect(methodName('app.info')).toBe('appInfo');
  });

  it('gives every request its own method name', () => {
    const names = REQUEST_NAMES.map(methodName);
    expect(new Set(names).size).toBe(names.length);
  });
});
