/**
 * CSV written by the export, opened by a real LibreOffice Calc: with the formula guard on, no cell becomes
 * a formula, whatever blank or invisible characters hide it, with the default import settings, with "Trim
 * spaces" and with "Quoted field as text". With the guard off, the same file does hold formulas, so the
 * check can see one. Runs only where `soffice` is installed (it is not in CI: the unit tests in
 * test/unit/formula-guard.test.ts carry the guarantee there).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { csvLines } from '../../../electron/export/encoders.ts';
import { OutputOptionsSchema } from '../../../shared/output.ts';

const soffice = spawnSync('soffice', ['--version'], { encoding: 'utf8' }).status === 0;
const reason = soffice ? '' : ' (skipped: LibreOffice `soffice` is not installed)';

const BLANKS: Record<string, string> = {
  none: '',
  space: ' ',
  spaces: '   ',
  nbsp: '\u00A0',
  zwsp: '\u200B',
  zwj: '\u200D',
  bom: '\uFEFF',
  emsp: '\u2003',
  ideosp: '\u3000',
  lsep: '\u2028',
  tab: '\t',
  lf: '\n',
};
const BODIES: Record<string, string> = {
  eq: '=1+1',
  plus: '+1+1',
  minus: '-1+1',
  at: '@SUM(1)',
  sum: '=SUM(2;3)',
  link: '=HYPERLINK("http://127.0.0.1/x";"x")',
};

/** The CSV import's filter options: comma, double quote, UTF-8, line 1, then the tokens that differ. */
const IMPORTS: Record<string, string> = {
  default: '44,34,76,1,,1033',
  'trim spaces': '44,34,76,1,,1033,false,false,false,false,true,0,true',
  'quoted field as text, trim spaces': '44,34,76,1,,1033,true,false,false,false,true,0,true',
};

const dir = soffice ? mkdtempSync(join(tmpdir(), 'exportdesk-calc-')) : '';
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function exportCsv(formulaGuard: boolean): string {
  const csv = OutputOptionsSchema.parse({ format: 'csv', csv: { formulaGuard } }).csv;
  const cells = [['label', 'cell']];
  for (const [b, blank] of Object.entries(BLANKS))
    for (const [f, body] of Object.entries(BODIES)) cells.push([`${b}_${f}`, blank + body]);
  return csvLines(cells, csv);
}

/** Opens `csv` in Calc with the import `options` and returns the labels of the rows whose cell is a formula. */
function formulas(name: string, csv: string, options: string): string[] {
  const file = join(dir, `${name}.csv`);
  writeFileSync(file, csv);
  execFileSync(
    'soffice',
    [
      `-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`,
      '--headless',
      `--infilter=Text - txt - csv (StarCalc):${options}`,
      '--convert-to',
      'fods',
      '--outdir',
      dir,
      file,
    ],
    { stdio: 'ignore', timeout: 120_000 },
  );
  const xml = readFileSync(join(dir, `${name}.fods`), 'utf8');
  const found: string[] = [];
  for (const [, row] of xml.matchAll(/<table:table-row[^>]*>([\s\S]*?)<\/table:table-row>/g)) {
    const cells = [
      ...(row ?? '').matchAll(/<table:table-cell([^>]*?)(?:\/>|>([\s\S]*?)<\/table:table-cell>)/g),
    ];
    const label = /<text:p>([^<]*)<\/text:p>/.exec(cells[0]?.[2] ?? '')?.[1];
    if (label && cells[1]?.[1]?.includes('table:formula=')) found.push(label);
  }
  return found;
}

describe.skipIf(!soffice)(`LibreOffice Calc opening the export's CSV${reason}`, () => {
  let n = 0;
  for (const [importName, options] of Object.entries(IMPORTS)) {
    it(`finds no formula with the guard on (${importName})`, () => {
      expect(formulas(`guarded${n++}`, exportCsv(true), options)).toEqual([]);
    }, 180_000);
  }

  it('finds the formulas the guard is there for, with the guard off', () => {
    // The control: Calc runs a leading `=`, and with "Trim spaces" one behind ASCII spaces.
    expect(formulas('plain-default', exportCsv(false), IMPORTS.default!)).toEqual(
      expect.arrayContaining(['none_eq', 'none_sum']),
    );
    expect(formulas('plain-trim', exportCsv(false), IMPORTS['trim spaces']!)).toEqual(
      expect.arrayContaining(['none_eq', 'space_eq', 'spaces_eq', 'space_sum']),
    );
  }, 180_000);
});
