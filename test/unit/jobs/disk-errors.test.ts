import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { dataDiskError, formatBytes } from '../../../electron/jobs/disk-errors.ts';
import { ExportError } from '../../../electron/jobs/errors.ts';

const fsError = (code: string): NodeJS.ErrnoException =>
  Object.assign(new Error(`${code}: write`), { code, syscall: 'write' });

describe('dataDiskError', () => {
  const dir = os.tmpdir();

  it('says a file passed the size limit on EFBIG, naming the data folder and the limit to raise', async () => {
    const e = await dataDiskError(fsError('EFBIG'), dir, 'NICE CXone', 'downloading');
    expect(e).toBeInstanceOf(ExportError);
    expect(e?.message).toContain(
      `A file in the data folder ${dir} grew past the largest file allowed (EFBIG`,
    );
    expect(e?.hint).toMatch(/ulimit -f.*EXPORTDESK_HOME/);
  });

  it('finds the disk error under a provider’s wrapping, and names a quota as such', async () => {
    const wrapped = new ExportError({
      vendor: 'OmniQ',
      step: 'downloading',
      message: 'EDQUOT: write',
      cause: fsError('EDQUOT'),
    });
    const e = await dataDiskError(wrapped, dir, 'OmniQ', 'downloading');
    expect(e?.message).toMatch(
      /^Your disk quota on the disk that holds the data folder .* is full \(EDQUOT; the disk/,
    );
    expect(e?.message).toMatch(/has \d.* free of \d/);
  });

  it('leaves every other error alone', async () => {
    expect(await dataDiskError(fsError('ECONNRESET'), dir, 'OmniQ', 'x')).toBeUndefined();
    expect(await dataDiskError(new Error('boom'), dir, 'OmniQ', 'x')).toBeUndefined();
  });

  it.each([
    [512, '512 bytes'],
    [262_144, '256 KB'],
    [1_610_612_736, '1.5 GB'],
  ])('formats %i bytes as %s', (n, text) => expect(formatBytes(n)).toBe(text));
});
