import { Button, Group, NativeSelect, Stack, Switch } from '@mantine/core';
import type { CsvOptions } from '../../shared/output.ts';
import { excelPreset } from './csv-presets.ts';

const DELIMITERS = [
  { value: ',', label: 'Comma (,)' },
  { value: ';', label: 'Semicolon (;)' },
  { value: '\t', label: 'Tab' },
];
const LINE_ENDINGS = [
  { value: 'crlf', label: 'CRLF (Windows, RFC 4180)' },
  { value: 'lf', label: 'LF (Unix)' },
];
const SWITCHES = [
  { key: 'bom', id: 'bom', label: 'UTF-8 BOM (for Excel)' },
  { key: 'header', id: 'header', label: 'Header row' },
  {
    key: 'formulaGuard',
    id: 'guard',
    label: 'Formula guard (prefix cells starting with = + - @ with an apostrophe)',
  },
] as const;

interface Props {
  value: CsvOptions;
  onChange(value: CsvOptions): void;
  /** Distinguishes the controls when two sets are on one screen. */
  idPrefix: string;
  /** One control a line, for a narrow side panel. */
  stacked?: boolean;
}

/** Delimiter, BOM, line ending, formula guard and header, with the Excel preset. */
export function CsvOptionsFields({ value, onChange, idPrefix, stacked = false }: Props) {
  const patch = (p: Partial<CsvOptions>) => onChange({ ...value, ...p });
  const delimiter = (
    <NativeSelect
      id={`${idPrefix}-delimiter`}
      label="Delimiter"
      data={DELIMITERS}
      value={value.delimiter}
      onChange={(e) => patch({ delimiter: e.currentTarget.value as CsvOptions['delimiter'] })}
    />
  );
  const lineEnding = (
    <NativeSelect
      id={`${idPrefix}-line-ending`}
      label="Line ending"
      data={LINE_ENDINGS}
      value={value.lineEnding}
      onChange={(e) => patch({ lineEnding: e.currentTarget.value as CsvOptions['lineEnding'] })}
    />
  );
  const preset = (
    <Button variant="light" onClick={() => onChange(excelPreset())}>
      Excel preset
    </Button>
  );
  const switches = SWITCHES.map(({ key, id, label }) => (
    <Switch
      key={key}
      id={`${idPrefix}-${id}`}
      label={label}
      checked={value[key]}
      onChange={(e) => patch({ [key]: e.currentTarget.checked })}
    />
  ));
  if (stacked)
    return (
      // A narrow panel: the preset comes first, so a short window shows it without scrolling.
      <Stack gap="xs">
        <Group>{preset}</Group>
        {delimiter}
        {lineEnding}
        {switches}
      </Stack>
    );
  return (
    <Stack gap="xs">
      <Group align="end" gap="md">
        {delimiter}
        {lineEnding}
        {preset}
      </Group>
      <Group gap="lg">{switches}</Group>
    </Stack>
  );
}
