import { Alert, Button, Code, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState, type ReactNode } from 'react';
import { suggestRecipeFileName } from '../../../shared/filenames.ts';
import { isTerminal } from '../../../shared/jobs.ts';
import { DATA_REMOVED, jobTitle, waitText } from '../../../shared/job-text.ts';
import { errorMessage } from '../../api/index.ts';
import { useJobs, useStores } from '../../stores/context.tsx';
import { formatTime } from '../../ui/format.ts';
import { useNow } from '../../ui/use-now.ts';
import { PreviewPanel } from '../preview/PreviewPanel.tsx';
import { SavePanel } from '../save/SavePanel.tsx';
import { JobActions } from './JobActions.tsx';
import { useJobHistory } from './JobHistory.tsx';
import { JobProgressBar } from './JobProgressBar.tsx';
import { JobErrorAlert, useEditAtField } from './JobErrorAlert.tsx';
import { StateBadge } from './JobsPage.tsx';
import { SummaryPanel, TimeZoneNote, WarningsLine } from './ResultInfo.tsx';
import { JOB_FIGURES, savedSize } from './job-info.ts';

function Stat({ label, value, testId }: { label: string; value: ReactNode; testId: string }) {
  return (
    <div className="ed-stat">
      <Text component="dt" size="xs" c="dimmed">
        {label}
      </Text>
      <Text component="dd" size="sm" fw={500} data-testid={testId}>
        {value}
      </Text>
    </div>
  );
}

/**
 * One export: live status, what went wrong, its rows, and saving them. It fills the window's height: the
 * status takes a line, the preview grid takes the rest, and Save sits beside it where there is room.
 */
export function JobDetail({ jobId }: { jobId: string }) {
  const stores = useStores();
  const job = useJobs((s) => s.jobs[jobId]);
  const now = useNow(!!job && !isTerminal(job.state));
  const editAtField = useEditAtField(job);
  const back = () => stores.app.getState().navigate('exports');

  const [notice, setNotice] = useState<{ ok: boolean; text: string }>();
  const listed = useJobs((s) => s.loaded);
  const history = useJobHistory(job);
  // Not in the list: perhaps started since (by the command line), so asked for once before saying it is gone.
  const [asked, setAsked] = useState<'asking' | 'gone'>();
  useEffect(() => {
    if (job || !listed || asked) return;
    setAsked('asking');
    stores.client.call('jobs.get', { jobId }).then(
      (found) => stores.jobs.getState().apply(found),
      () => setAsked('gone'),
    );
  }, [job, listed, asked, jobId, stores]);

  if (!job)
    return asked === 'gone' ? (
      <Stack align="start" data-testid="job-missing">
        <Title order={2} size="h3">
          This export no longer exists
        </Title>
        <Text size="sm">It was removed, or the address points to an export this computer never had.</Text>
        <Button variant="default" onClick={back}>
          Back to exports
        </Button>
      </Stack>
    ) : (
      <Text c="dimmed" size="sm">
        Loading the export…
      </Text>
    );

  const canSave = (job.state === 'ready' || job.state === 'saved') && !job.dataRemovedAt;
  const wait = waitText(job, now);
  const saved = savedSize(job);

  /** The export's recipe, with the columns as arranged in the preview when they were arranged. */
  const saveRecipe = async () => {
    const p = stores.preview.getState();
    const arranged =
      p.jobId === job.id &&
      p.columnOrder.length > 0 &&
      (p.columnOrder.some((c, i) => c !== p.columns[i]) || p.columnOrder.some((c) => p.hidden[c]));
    // The window never writes where a recipe's path points: the file is chosen when it is saved.
    const { path: _cliPath, ...output } = job.recipe.output;
    const recipe = {
      ...job.recipe,
      output: { ...output, ...(arranged ? { columns: p.columnOrder.filter((c) => !p.hidden[c]) } : {}) },
    };
    setNotice(undefined);
    try {
      const kept = await stores.client.call('recipes.save', {
        recipe,
        fileName: suggestRecipeFileName(recipe),
      });
      setNotice({
        ok: true,
        text: `Saved as ${kept.fileName} in the recipes folder (${kept.path}). Recipes lists it.`,
      });
    } catch (e) {
      setNotice({ ok: false, text: `The recipe was not saved: ${errorMessage(e)}` });
    }
  };

  return (
    <Stack gap="sm" className="ed-job" data-testid="job-detail" data-job-id={job.id} data-state={job.state}>
      {/*
        The title has a row of its own, so it is read whole at any width the window has (a title wider than
        the whole row is cut, its tooltip holding it whole); the buttons share the status line's row below,
        where they take little more height than the line alone.
      */}
      <Stack gap={4}>
        <Group gap="sm" wrap="nowrap">
          <Button variant="subtle" size="compact-sm" onClick={back} style={{ flex: 'none' }}>
            ← All exports
          </Button>
          <Title order={2} size="h3" lineClamp={1} title={jobTitle(job)} style={{ minWidth: 0 }}>
            {jobTitle(job)}
          </Title>
          <StateBadge state={job.state} style={{ flex: 'none' }} />
        </Group>
        <Group justify="space-between" align="center" wrap="wrap" gap="xs">
          {job.message && !job.error && (
            <Text
              size="sm"
              c="dimmed"
              className="ed-break"
              data-testid="job-message"
              style={{ flex: '1 1 16rem', minWidth: 0 }}
            >
              {job.message}
            </Text>
          )}
          <Group gap={6} wrap="wrap" justify="flex-end" style={{ flex: '0 1 auto', marginLeft: 'auto' }}>
            <Button size="xs" variant="default" onClick={() => void saveRecipe()}>
              Save recipe
            </Button>
            <JobActions job={job} withEdit={!editAtField} align="end" withSchedule />
          </Group>
        </Group>
      </Stack>
      {notice && (
        <Alert
          color={notice.ok ? 'green' : 'red'}
          role={notice.ok ? 'status' : 'alert'}
          data-testid="job-notice"
          className="ed-break"
          withCloseButton
          closeButtonLabel="Dismiss"
          onClose={() => setNotice(undefined)}
        >
          {notice.text}
        </Alert>
      )}
      {wait && (
        <Text
          size="sm"
          c="indigo.8"
          className="ed-break"
          data-testid="job-wait"
          data-wait={job.wait?.kind}
          data-next-at={job.wait?.nextAt}
        >
          {wait}
        </Text>
      )}
      <Paper withBorder px="sm" py={6}>
        <JobProgressBar job={job} now={now} withText />
        <dl className="ed-stats">
          {JOB_FIGURES.map((f) => (
            <Stat key={f.label} label={f.label} value={f.value(job, now)} testId={f.testId} />
          ))}
          {saved && <Stat label="Saved file" value={saved} testId="job-saved-bytes" />}
          <Stat label="Started" value={formatTime(job.startedAt ?? job.createdAt)} testId="job-started" />
          {job.remote.status && (
            <Stat label="Vendor status" value={<Code>{job.remote.status}</Code>} testId="job-vendor-status" />
          )}
          <div className="ed-stat">
            <Text component="dt" size="xs" c="dimmed">
              History
            </Text>
            <dd className="ed-stat-actions">{history.toggles}</dd>
          </div>
        </dl>
      </Paper>
      <JobErrorAlert job={job} />
      <WarningsLine warnings={job.warnings} />
      <TimeZoneNote job={job} />
      <SummaryPanel job={job} />
      {history.panel}
      {job.dataRemovedAt ? (
        <Alert color="gray" title="This export's rows were removed" data-testid="job-data-removed">
          {DATA_REMOVED} They were removed on {formatTime(job.dataRemovedAt)} to keep the data folder within
          the bounds set in Settings; the record of the export is kept.
        </Alert>
      ) : (
        <div className={canSave ? 'ed-job-body has-save' : 'ed-job-body'}>
          <PreviewPanel job={job} />
          {canSave && <SavePanel job={job} />}
        </div>
      )}
    </Stack>
  );
}
