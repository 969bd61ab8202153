import { Anchor, Button, Code, CopyButton, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import type { RequestOutput } from '../../../shared/api.ts';
import { runsOf } from '../../../shared/job-search.ts';
import type { JobRecord } from '../../../shared/jobs.ts';
import { findProvider } from '../../../shared/providers/index.ts';
import { errorMessage } from '../../api/index.ts';
import { useJobs, useStores } from '../../stores/context.tsx';
import { formatBytes, formatTime } from '../../ui/format.ts';
import { hashOf } from '../layout/routes.ts';
import { StateBadge } from './JobsPage.tsx';

/** A query value in a line: text as it is, anything else as compact JSON, cut where it runs long. */
function shortValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

/** What the export asked for, in words and as the recipe JSON it can be copied or saved as. */
function RecipeSummary({ job }: { job: JobRecord }) {
  const { recipe } = job;
  const provider = findProvider(recipe.provider);
  const label = (key: string) => provider?.queryFields.find((f) => f.key === key)?.label ?? key;
  // The window never writes where a recipe's path points, so the JSON shown is what "Save recipe" keeps.
  const { path: _cliPath, ...output } = recipe.output;
  const json = JSON.stringify({ ...recipe, output }, null, 2);
  const lines: [string, string][] = [
    ...(recipe.name ? [['Name', recipe.name] as [string, string]] : []),
    ['Vendor', provider?.name ?? recipe.provider],
    ['Connection', recipe.connection],
    ...Object.entries(recipe.query).map(([k, v]) => [label(k), shortValue(v)] as [string, string]),
    ['Format', recipe.output.format.toUpperCase()],
  ];
  return (
    <Stack gap="xs" data-testid="job-recipe">
      <dl className="ed-stats">
        {lines.map(([k, v]) => (
          <div className="ed-stat" key={k}>
            <Text component="dt" size="xs" c="dimmed">
              {k}
            </Text>
            <Text component="dd" size="sm" className="ed-break">
              {v}
            </Text>
          </div>
        ))}
      </dl>
      <Group gap="xs">
        <CopyButton value={json}>
          {({ copied, copy }) => (
            <Button size="xs" variant="default" onClick={copy}>
              {copied ? 'Copied' : 'Copy JSON'}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Code block data-testid="job-recipe-json" style={{ maxHeight: '16rem', overflow: 'auto' }}>
        {json}
      </Code>
    </Stack>
  );
}

/** The other exports of the same recipe, newest first, this one marked. */
function RunsTable({ job, runs }: { job: JobRecord; runs: JobRecord[] }) {
  return (
    <Table fz="sm" verticalSpacing={4} aria-label="Runs of this recipe" data-testid="job-runs">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Created</Table.Th>
          <Table.Th>State</Table.Th>
          <Table.Th className="ed-num">Rows</Table.Th>
          <Table.Th>Export</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {runs.map((run) => (
          <Table.Tr key={run.id} data-testid="job-run" data-job-id={run.id}>
            <Table.Td>{formatTime(run.createdAt)}</Table.Td>
            <Table.Td>
              <StateBadge state={run.state} />
              {run.dataRemovedAt && (
                <Text size="xs" c="dimmed">
                  Data removed
                </Text>
              )}
            </Table.Td>
            <Table.Td className="ed-num">{run.counters.rows.toLocaleString('en-US')}</Table.Td>
            <Table.Td>
              {run.id === job.id ? (
                <Text size="sm" c="dimmed">
                  This export
                </Text>
              ) : (
                <Anchor href={hashOf({ view: 'exports', jobId: run.id })} size="sm">
                  Open the export of {formatTime(run.createdAt)}
                </Anchor>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

type SavedFile = RequestOutput<'jobs.files'>[number];

/** Every file saved from the export: where, as what, how big, when, and whether it is still there. */
function FilesTable({ job }: { job: JobRecord }) {
  const stores = useStores();
  const [files, setFiles] = useState<SavedFile[]>();
  const [error, setError] = useState<string>();
  const desktop = stores.client.kind === 'desktop';
  useEffect(() => {
    let live = true;
    stores.client.call('jobs.files', { jobId: job.id }).then(
      (f) => live && setFiles(f),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [stores, job.id, job.saves.length]);
  if (error)
    return (
      <Text size="sm" c="red" role="alert">
        The files could not be listed: {error}
      </Text>
    );
  if (!files)
    return (
      <Text size="sm" c="dimmed">
        Looking for the files…
      </Text>
    );
  return (
    <Table fz="sm" verticalSpacing={4} aria-label="Files saved from this export" data-testid="job-files">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>File</Table.Th>
          <Table.Th>Format</Table.Th>
          <Table.Th className="ed-num">Size</Table.Th>
          <Table.Th>Saved</Table.Th>
          {desktop && <Table.Th>Folder</Table.Th>}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {[...files].reverse().map((f) => (
          <Table.Tr key={f.index} data-testid="job-file" data-exists={f.exists}>
            <Table.Td className="ed-break">
              <Code>{f.path}</Code>
              {!f.exists && (
                <Text size="xs" c="orange.9">
                  No longer on disk (moved or deleted)
                </Text>
              )}
            </Table.Td>
            <Table.Td>{f.format.toUpperCase()}</Table.Td>
            <Table.Td className="ed-num">{f.bytes === undefined ? '—' : formatBytes(f.bytes)}</Table.Td>
            <Table.Td>{formatTime(f.at)}</Table.Td>
            {desktop && (
              <Table.Td>
                {f.exists && (
                  <Button
                    size="compact-xs"
                    variant="default"
                    onClick={() =>
                      void stores.client.call('exports.reveal', { jobId: job.id, index: f.index })
                    }
                    aria-label={`Show ${f.path} in its folder`}
                  >
                    Show in folder
                  </Button>
                )}
              </Table.Td>
            )}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

type Section = 'recipe' | 'runs' | 'files';

/**
 * An export's recipe, its recipe's other runs and the files saved from it, each opened on demand: three
 * small buttons that sit in the export's figures (no height of their own, so the preview keeps its room)
 * and the one section opened, shown under them.
 */
export function useJobHistory(job: JobRecord | undefined): { toggles: ReactNode; panel: ReactNode } {
  const jobs = useJobs((s) => s.jobs);
  const runs = useMemo(() => (job ? runsOf(job, Object.values(jobs)) : []), [job, jobs]);
  const [open, setOpen] = useState<Section | undefined>();
  const panelId = useId();
  const sections: { id: Section; label: string }[] = [
    { id: 'recipe', label: 'Recipe' },
    { id: 'runs', label: `Runs of this recipe (${runs.length})` },
    { id: 'files', label: `Files saved (${job?.saves.length ?? 0})` },
  ];
  const toggles = (
    <Group gap="md" wrap="nowrap" data-testid="job-history">
      {sections.map((section) => (
        // Links in look, buttons in behaviour: they take no more height than the figures beside them.
        <Anchor
          key={section.id}
          component="button"
          type="button"
          size="sm"
          fw={500}
          underline={open === section.id ? 'always' : 'hover'}
          aria-expanded={open === section.id}
          aria-controls={open === section.id ? panelId : undefined}
          onClick={() => setOpen((was) => (was === section.id ? undefined : section.id))}
        >
          {section.label}
        </Anchor>
      ))}
    </Group>
  );
  const label = sections.find((section) => section.id === open)?.label;
  const panel = job && open && (
    <Paper withBorder p="sm" id={panelId} role="region" aria-label={label}>
      {open === 'recipe' && <RecipeSummary job={job} />}
      {open === 'runs' && <RunsTable job={job} runs={runs} />}
      {open === 'files' &&
        (job.saves.length === 0 ? (
          <Text size="sm" c="dimmed">
            Nothing saved from this export yet.
          </Text>
        ) : (
          <FilesTable job={job} />
        ))}
    </Paper>
  );
  return { toggles, panel };
}
