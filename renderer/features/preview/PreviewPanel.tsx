import { Alert, Group, Paper, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { isTerminal, type JobRecord } from '../../../shared/jobs.ts';
import { usePreview, useStores } from '../../stores/context.tsx';
import { ColumnsMenu } from './ColumnsMenu.tsx';
import { PreviewGrid } from './PreviewGrid.tsx';
import { RowsOverTime } from './RowsOverTime.tsx';

/** Why a finished export holds no rows, in the words of how it ended. */
function emptyText(job: JobRecord): string {
  if (job.state === 'failed') return 'No rows arrived before the export failed.';
  if (job.state === 'cancelled') return 'The export was cancelled before any rows arrived.';
  return 'The vendor returned no rows for this query. Check its dates and filters, then run it again.';
}

/** The rows of one export, while it runs and after; the arrangement here is what Save writes. */
export function PreviewPanel({ job }: { job: JobRecord }) {
  const stores = useStores();
  const { jobId, loaded, error, total, exportTotal } = usePreview(
    useShallow(({ jobId, loaded, error, total, exportTotal }) => ({
      jobId,
      loaded,
      error,
      total,
      exportTotal,
    })),
  );

  useEffect(() => {
    stores.preview.getState().open(job.id);
  }, [job.id, stores]);

  // New rows arrived (or the export just finished): pick up the new row count and fill partial blocks.
  const rows = job.counters.rows;
  const done = isTerminal(job.state);
  useEffect(() => {
    if (stores.preview.getState().jobId === job.id && stores.preview.getState().loaded)
      stores.preview.getState().refresh();
  }, [rows, done, job.id, stores]);
  // The profile follows the rows published, as the grid does.
  useEffect(() => {
    stores.profile.getState().load(job.id);
  }, [rows, done, job.id, stores]);

  const waiting = !done && total === 0;
  const heading = (
    <Title order={3} size="h4">
      Preview
    </Title>
  );
  // A finished export without a row has no table to show, only why it is empty. A filter that matches
  // nothing keeps the table, its controls and its "0 of N rows match".
  const empty =
    done && !error && loaded && jobId === job.id && exportTotal === 0 ? emptyText(job) : undefined;
  const grid = !(error && total === 0) && !empty && jobId === job.id && loaded;
  return (
    <Paper withBorder p="sm" component="section" aria-label="Preview" className="ed-preview">
      {grid ? (
        <PreviewGrid heading={heading} tools={<ColumnsMenu />} viewable={done} />
      ) : (
        <>
          <Group justify="space-between">
            {heading}
            <ColumnsMenu />
          </Group>
          {empty || (error && total === 0) ? (
            <Text c="dimmed" size="sm" data-testid="preview-empty">
              {empty ?? (waiting ? 'No rows yet; they appear here as they arrive.' : error)}
            </Text>
          ) : (
            <Text c="dimmed" size="sm">
              Loading rows…
            </Text>
          )}
        </>
      )}
      {grid && <RowsOverTime />}
      {error && total > 0 && (
        <Alert color="red" title="Some rows could not be loaded">
          {error}
        </Alert>
      )}
    </Paper>
  );
}
