import { Alert, Button, Code, Group, Paper, Progress, Radio, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { suggestFileName } from '../../../shared/filenames.ts';
import { sheetRolloverNotice } from '../../../shared/workbook.ts';
import type { JobRecord } from '../../../shared/jobs.ts';
import type { CsvOptions, OutputFormat, OutputOptions } from '../../../shared/output.ts';
import { errorMessage, type SaveResult } from '../../api/index.ts';
import { usePreview, useStores } from '../../stores/context.tsx';
import { CsvOptionsFields } from '../../ui/CsvOptionsFields.tsx';
import { FORMAT_LABELS, formatDescription } from '../export-builder/OutputStep.tsx';

type Status =
  | { kind: 'idle' }
  | { kind: 'saving' }
  | { kind: 'done'; result: SaveResult; notice?: string | undefined }
  | { kind: 'error'; message: string };

/** Writes the export's rows to a file: the columns as arranged in the preview, in the chosen format. */
export function SavePanel({ job }: { job: JobRecord }) {
  const stores = useStores();
  const client = stores.client;
  const [format, setFormat] = useState<OutputFormat>(job.recipe.output.format);
  const [csv, setCsv] = useState<CsvOptions>(job.recipe.output.csv);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const previewJob = usePreview((s) => s.jobId);
  const columnOrder = usePreview((s) => s.columnOrder);
  const hidden = usePreview((s) => s.hidden);
  const arranged = previewJob === job.id && columnOrder.length > 0;
  const columns = arranged ? columnOrder.filter((c) => !hidden[c]) : undefined;
  // The preview's sort and filter are a way of looking: the file holds every row, in the export's order.
  const viewing = usePreview((s) => s.jobId === job.id && (s.filterText !== '' || !!s.sort));
  const fileName = suggestFileName(job, format);

  const save = async () => {
    const output: OutputOptions = { format, csv, ...(columns ? { columns } : {}) };
    setStatus({ kind: 'saving' });
    try {
      const result = await client.save(job.id, output);
      // A workbook's rows continue on further sheets past Excel's limit; the user is told after Save.
      const notice = format === 'xlsx' ? sheetRolloverNotice(result.rows ?? job.counters.rows) : undefined;
      setStatus(result.saved ? { kind: 'done', result, notice } : { kind: 'idle' });
    } catch (e) {
      setStatus({ kind: 'error', message: errorMessage(e) });
    }
  };

  const reveal = async () => {
    try {
      await client.call('exports.reveal', { jobId: job.id });
    } catch (e) {
      setStatus({ kind: 'error', message: errorMessage(e) });
    }
  };

  return (
    <Paper withBorder component="section" aria-label="Save" className="ed-save">
      <Title order={3} size="h4" px="sm" pt="sm">
        Save
      </Title>
      {/* The options scroll when the window is short; the button below them never does. */}
      <Stack gap="sm" px="sm" py="xs" className="ed-save-options">
        <Radio.Group label="Format" value={format} onChange={(v) => setFormat(v as OutputFormat)}>
          <Stack gap={6} mt={6}>
            {(Object.keys(FORMAT_LABELS) as OutputFormat[]).map((f) => (
              <Radio
                key={f}
                value={f}
                label={FORMAT_LABELS[f]}
                // Only the chosen format's note, so the choices and the CSV options fit a short window.
                description={f === format ? formatDescription(f, job.resultInfo !== undefined) : undefined}
                id={`save-format-${f}`}
              />
            ))}
          </Stack>
        </Radio.Group>
        {format === 'csv' && <CsvOptionsFields idPrefix="save-csv" value={csv} onChange={setCsv} stacked />}
      </Stack>
      <Stack gap={6} p="sm" className="ed-save-actions">
        <Text size="xs">
          Columns:{' '}
          {columns ? `${columns.length} as arranged in the preview` : 'all, in the order they first appeared'}
        </Text>
        {viewing && (
          <Text size="xs" data-testid="save-rows-note">
            Rows: saving writes all rows in their original order (not only those the preview’s filter shows,
            nor in its sort).
          </Text>
        )}
        <Text size="xs">
          File name:{' '}
          <Code data-testid="save-file-name" className="ed-file-name">
            {fileName}
          </Code>
        </Text>
        <Group gap="xs">
          <Button
            onClick={() => void save()}
            loading={status.kind === 'saving'}
            disabled={columns?.length === 0}
          >
            {client.kind === 'desktop' ? 'Save' : 'Download'}{' '}
            {format === 'parquet' ? 'Parquet' : format.toUpperCase()}
          </Button>
          {status.kind === 'done' && client.kind === 'desktop' && (
            <Button variant="default" onClick={() => void reveal()}>
              Show in folder
            </Button>
          )}
        </Group>
        {status.kind === 'saving' && (
          <Stack gap={4} data-testid="save-progress">
            <Text size="sm">Writing {job.counters.rows.toLocaleString()} rows…</Text>
            <Progress value={100} animated striped aria-label="Writing the file" />
          </Stack>
        )}
        {status.kind === 'done' && (
          <Alert color="green" title="Saved" role="status" data-testid="save-result" p="xs">
            {status.result.path
              ? `Written to ${status.result.path}${status.result.rows !== undefined ? ` (${status.result.rows.toLocaleString()} rows)` : ''}.`
              : `Your browser is downloading ${status.result.fileName ?? fileName}.`}
            {status.notice && (
              <Text size="sm" mt={4} data-testid="save-notice">
                {status.notice}
              </Text>
            )}
          </Alert>
        )}
        {status.kind === 'error' && (
          <Alert color="red" title="Not saved" role="alert" p="xs">
            {status.message}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
