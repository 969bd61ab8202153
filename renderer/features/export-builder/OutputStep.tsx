import { Group, Radio, Stack, TextInput } from '@mantine/core';
import { useShallow } from 'zustand/react/shallow';
import type { OutputFormat } from '../../../shared/output.ts';
import { useBuilder, useStores } from '../../stores/context.tsx';
import { CsvOptionsFields } from '../../ui/CsvOptionsFields.tsx';

export const FORMAT_LABELS: Record<OutputFormat, string> = {
  csv: 'CSV',
  json: 'JSON',
  ndjson: 'NDJSON (one object a line)',
  xlsx: 'Excel workbook',
  parquet: 'Parquet (typed columns)',
};

/**
 * What each format's file looks like. A JSON file is an array of rows, unless the vendor said something
 * about the result as a whole (a time zone, totals): then it is an object with that and the rows, so the
 * rows never lose their context. `withMetadata` is unknown before the export has run.
 */
export function formatDescription(format: OutputFormat, withMetadata?: boolean): string | undefined {
  if (format === 'xlsx')
    return (
      'Typed cells, IDs as text.' +
      (withMetadata ? ' The vendor’s totals and notes on sheets of their own.' : '')
    );
  if (format !== 'json') return undefined;
  if (withMetadata === undefined)
    return 'An array of rows; or, where the vendor describes the result, an object with its notes and the rows.';
  return withMetadata ? 'An object: the vendor’s notes on the result, then the rows.' : 'An array of rows.';
}

/** The output a recipe carries; the file can still be saved in another format once the rows are in. */
export function OutputStep() {
  const stores = useStores();
  const { format, csv, name } = useBuilder(useShallow((s) => s));
  return (
    <Stack gap="md">
      <Radio.Group
        label="Format"
        value={format}
        onChange={(v) => stores.builder.setState({ format: v as OutputFormat })}
      >
        <Group mt="xs">
          {(Object.keys(FORMAT_LABELS) as OutputFormat[]).map((f) => (
            <Radio
              key={f}
              value={f}
              label={FORMAT_LABELS[f]}
              description={formatDescription(f)}
              id={`builder-format-${f}`}
            />
          ))}
        </Group>
      </Radio.Group>
      {format === 'csv' && (
        <CsvOptionsFields
          idPrefix="builder-csv"
          value={csv}
          onChange={(c) => stores.builder.setState({ csv: c })}
        />
      )}
      <TextInput
        id="builder-recipe-name"
        label="Recipe name (optional)"
        description="Shown in the export history and used when the recipe is saved."
        value={name}
        onChange={(e) => stores.builder.setState({ name: e.currentTarget.value })}
      />
    </Stack>
  );
}
