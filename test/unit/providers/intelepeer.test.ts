import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { insightsMessage } from '../../../electron/providers/intelepeer/messages.ts';
import { resultPaths, UnsafePathError } from '../../../electron/providers/intelepeer/result-paths.ts';
import { keyText } from '../../../electron/providers/intelepeer/sftp.ts';
import {
  insightsTime,
  IntelepeerConnectionSchema,
  IntelepeerQuerySchema,
} from '../../../shared/providers/intelepeer.ts';
import { locateInsightsError } from '../../../shared/providers/intelepeer-errors.ts';

describe('IntelePeer result paths', () => {
  it('takes every path of the Python list, one shard or many, in order', () => {
    expect(
      resultPaths(
        "Process finished. Download: [u'reports/guid1/guid2_QueryExport_1579194142011__000000000000.csv.gz']",
      ),
    ).toEqual(['reports/guid1/guid2_QueryExport_1579194142011__000000000000.csv.gz']);
    expect(
      resultPaths(
        "Process finished. Download: [u'reports/a/x__000000000000.csv.gz', u'reports/a/x__000000000001.csv.gz', 'reports/a/x__000000000002.csv.gz']",
      ),
    ).toEqual([
      'reports/a/x__000000000000.csv.gz',
      'reports/a/x__000000000001.csv.gz',
      'reports/a/x__000000000002.csv.gz',
    ]);
    expect(resultPaths("Process finished. Download: [u'reports/it\\'s/a.csv.gz']")).toEqual([
      "reports/it's/a.csv.gz",
    ]);
    expect(resultPaths('Process finished. Download: []')).toEqual([]);
  });

  it.each([
    '/etc/passwd',
    '../secret.csv.gz',
    'reports/../../x.csv.gz',
    'reports//x.csv.gz',
    'C:/x.csv.gz',
    '\\\\server\\share\\x.csv.gz',
    'reports/\u0000x.csv.gz',
  ])('refuses %j', (p) => {
    expect(() => resultPaths(`Download: [u'${p}']`)).toThrow(UnsafePathError);
  });
});

describe('IntelePeer messages', () => {
  it('reads the doc’s error bodies as one line', () => {
    expect(
      insightsMessage({
        code: 400,
        message: {
          Date_Filters: {
            message:
              "Invalid date filters [2019-10-19 01:45:36.123Z]. They must be in ISO8601 format. Example: 'YYYY-MM-DDTHH:MM:SSZ'",
            code: '422-6',
          },
        },
      }),
    ).toBe(
      "Invalid date filters [2019-10-19 01:45:36.123Z]. They must be in ISO8601 format. Example: 'YYYY-MM-DDTHH:MM:SSZ'",
    );
    expect(
      insightsMessage({ code: 400, message: { Operators: 'Invalid operators [gte, lte], try …' } }),
    ).toBe('Invalid operators [gte, lte], try …');
    expect(
      insightsMessage([
        {
          message: 'could not get QueryRequest object: QueryRequest matching query does not exist.',
          code: 500,
        },
      ]),
    ).toBe('could not get QueryRequest object: QueryRequest matching query does not exist.');
    expect(insightsMessage({ code: 401, error: 'Unauthorized' })).toBe('Unauthorized');
  });
});

describe('IntelePeer times and queries', () => {
  it('sends times at seconds precision and leaves non-dates for the vendor to refuse', () => {
    expect(insightsTime('2019-11-25T00:00:00.999Z')).toBe('2019-11-25T00:00:00Z');
    expect(insightsTime('2019-11-25T01:00:00+01:00')).toBe('2019-11-25T00:00:00Z');
    expect(insightsTime('2019-10-19 01:45:36.123Z')).toBe('2019-10-19 01:45:36.123Z');
  });

  it('accepts the doc’s example bodies and says what is missing', () => {
    expect(
      IntelepeerQuerySchema.safeParse({
        timestamp: { $gte: '2019-11-25T00:00:00Z', $lte: '2019-11-26T00:00:00Z' },
        data: { ApplicationExitEvent: { fields: ['FlowId'] } },
        filters: { ApplicationExitEvent: { FlowId: { $eq: '5dcf48b453e0ab04386da7d1' } } },
      }).success,
    ).toBe(true);
    const r = IntelepeerQuerySchema.safeParse({ timestamp: {}, data: {} });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message)).toEqual([
      'Enter the time range ($gte and $lte)',
      'Choose at least one event and its fields',
    ]);
  });
});

describe('IntelePeer connection settings for refused and long queries', () => {
  const base = { username: 'u', sftpHost: 'sftp.example.com', sftpUsername: 's' };

  it('retries a refused query for a minute and waits four hours for a query unless told otherwise', () => {
    const c = IntelepeerConnectionSchema.parse(base);
    expect(c.limitRetrySeconds).toBe(60);
    expect(c.pollDeadlineMinutes).toBe(240);
    expect(
      IntelepeerConnectionSchema.parse({ ...base, limitRetrySeconds: '0', pollDeadlineMinutes: '30' }),
    ).toMatchObject({ limitRetrySeconds: 0, pollDeadlineMinutes: 30 });
  });

  it('says what to enter for a value out of range', () => {
    const r = IntelepeerConnectionSchema.safeParse({
      ...base,
      limitRetrySeconds: -1,
      pollDeadlineMinutes: 0,
    });
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['limitRetrySeconds', 'Enter 0 or more seconds for the retry time of a refused query'],
      ['pollDeadlineMinutes', 'Enter at least 1 minute for how long to wait for a query'],
    ]);
  });
});

describe('where a vendor 400 belongs in the builder', () => {
  const query = {
    timestamp: { $gte: '2019-11-25T00:00:00Z', $lte: '2019-11-26T00:00:00Z' },
    data: { ApplicationExitEvent: { fields: ['FlowId', 'Flow Id'] } },
    filters: { DtmfEvent: { DtmfInput: { gte: '1' }, StartTime: { $gte: '2019-10-19 01:45:36.123Z' } } },
  };
  it.each([
    ['HTTP 400 Bad Request: Flow Id is not a valid field.', 'fields:ApplicationExitEvent'],
    ['HTTP 400 Bad Request: Application ExitEvent is not a valid schema name.', 'events'],
    ['HTTP 400 Bad Request: Invalid operators [gte], try to use any of these', 'filter:DtmfEvent:DtmfInput'],
    [
      'Invalid date filters [2019-10-19 01:45:36.123Z]. They must be in ISO8601 format.',
      'filter:DtmfEvent:StartTime',
    ],
    ['HTTP 429: max concurrent queries per user (2) reached', undefined],
  ])('%s', (message, place) => {
    expect(locateInsightsError(message, query)).toBe(place);
  });
});

describe('an SFTP private key stored on one line', () => {
  // Made by ssh-keygen, as a user's key is (ssh2's own generator now and then writes an encrypted ed25519
  // key that its parser then refuses, which would make this test fail by chance).
  const dir = mkdtempSync(path.join(os.tmpdir(), 'exportdesk-key-'));
  const file = path.join(dir, 'id_ed25519');
  execFileSync('ssh-keygen', [
    '-q',
    '-t',
    'ed25519',
    '-N',
    'correct horse',
    '-C',
    'exportdesk-test',
    '-f',
    file,
  ]);
  const key = readFileSync(file, 'utf8');
  rmSync(dir, { recursive: true, force: true });
  it.each([
    ['as the file', key],
    ['with "\\n" written out', key.trim().replace(/\n/g, '\\n')],
    ['with its line breaks dropped by a one-line field', key.replace(/\n/g, '')],
    ['with its line breaks turned into spaces', key.trim().replace(/\n/g, ' ')],
  ])('is read %s', (_how, stored) => {
    const parsed = ssh2.utils.parseKey(keyText(stored), 'correct horse');
    expect(parsed).not.toBeInstanceOf(Error);
  });
});
