import { Group, Radio, Stack, TextInput } from '@mantine/core';
import type { OutputFormat } from '../../../shared/output.ts';
import { useBuilder, useStores } from '../../stores/context.tsx';
import { CsvOptionsFields } from '../../ui/CsvOptionsFields.tsx';

export const FORMAT_LABELS: Record<OutputFormat, string> = {
  csv: 'CSV',
  json: 'JSON (an array)',
  ndjson: 'NDJSON (one object a line)',
};

/** The output a recipe carries; the file can still be saved in another format once the rows are in. */
export function OutputStep() {
  const stores = useStores();
  const format = useBuilder((s) => s.format);
  const csv = useBuilder((s) => s.csv);
  const name = useBuilder((s) => s.name);
  const b = stores.builder.getState();
  return (
    <Stack gap="md">
      <Radio.Group label="Format" value={format} onChange={(v) => b.setOutput({ format: v as OutputFormat })}>
        <Group mt="xs">
          {(Object.keys(FORMAT_LABELS) as OutputFormat[]).map((f) => (
            <Radio key={f} value={f} label={FORMAT_LABELS[f]} id={`builder-format-${f}`} />
          ))}
        </Group>
      </Radio.Group>
      {format === 'csv' && (
        <CsvOptionsFields idPrefix="builder-csv" value={csv} onChange={(c) => b.setOutput({ csv: c })} />
      )}
      <TextInput
        id="builder-recipe-name"
        label="Recipe name (optional)"
        description="Shown in the export history and used when the recipe is saved."
        value={name}
        onChange={(e) => b.setName(e.currentTarget.value)}
      />
    </Stack>
  );
}
