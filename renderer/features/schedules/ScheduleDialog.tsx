import {
  Alert,
  Button,
  Group,
  Modal,
  NativeSelect,
  NumberInput,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import type { Recipe } from '../../../shared/jobs.ts';
import { OutputFormatSchema, type OutputFormat } from '../../../shared/output.ts';
import {
  WEEKDAYS,
  WEEKDAY_LABELS,
  type ScheduleInfo,
  type ScheduleTiming,
  type Weekday,
} from '../../../shared/schedules.ts';
import { nextRunAt } from '../../../shared/schedule-timing.ts';
import { localTimeZone } from '../../../shared/zoned-time.ts';
import { useStores } from '../../stores/context.tsx';
import { ErrorText } from '../../ui/ErrorText.tsx';
import { useAction } from '../../ui/use-action.ts';
import { hasFixedDates, recipeDates, sinceLastRun } from './recipe-dates.ts';
import { timeZones, whenInWords } from './schedule-words.ts';

type Every = ScheduleTiming['every'];

const FORMAT_LABELS: Record<OutputFormat, string> = {
  csv: 'CSV',
  json: 'JSON',
  ndjson: 'NDJSON',
  xlsx: 'Excel workbook',
  parquet: 'Parquet',
};

export interface ScheduleDialogProps {
  opened: boolean;
  onClose(): void;
  /** The recipe to schedule; for an edit, the schedule's own. */
  recipe: Recipe;
  defaultName: string;
  /** Set when editing. */
  existing?: ScheduleInfo;
  /** After a save, with the schedule as saved. */
  onSaved?(saved: ScheduleInfo): void;
}

function timingOf(every: Every, minute: number, at: string, on: Weekday): ScheduleTiming {
  if (every === 'hour') return { every, minute };
  if (every === 'day') return { every, at };
  return { every, on, at };
}

/**
 * Gives a recipe a schedule: how often and when, in which time zone, where each run's file goes and in
 * which format, and (for a recipe with fixed dates) whether each run takes what is new since the last one.
 * Says in words when the first run will be, before anything is saved.
 */
export function ScheduleDialog({
  opened,
  onClose,
  recipe,
  defaultName,
  existing,
  onSaved,
}: ScheduleDialogProps) {
  const stores = useStores();
  const desktop = stores.client.kind === 'desktop';
  const own = localTimeZone();
  const t = existing?.timing;
  const [name, setName] = useState(existing?.name ?? defaultName);
  const [every, setEvery] = useState<Every>(t?.every ?? 'day');
  const [minute, setMinute] = useState<number>(t?.every === 'hour' ? t.minute : 0);
  const [at, setAt] = useState(t && t.every !== 'hour' ? t.at : '06:00');
  const [on, setOn] = useState<Weekday>(t?.every === 'week' ? t.on : 'mon');
  const [timeZone, setTimeZone] = useState(existing?.timeZone ?? own);
  const [folder, setFolder] = useState(existing?.folder ?? '');
  const [format, setFormat] = useState<OutputFormat>(recipe.output.format);
  const fixed = hasFixedDates(recipe);
  const [tile, setTile] = useState(fixed);
  const { busy, error, run } = useAction();
  const zones = useMemo(() => timeZones(own), [own]);

  const timing = timingOf(every, minute, at, on);
  const timeValid =
    every === 'hour' ? Number.isInteger(minute) && minute >= 0 && minute <= 59 : /^\d\d:\d\d$/.test(at);
  const nextRun =
    timeValid && timeZone ? whenInWords(nextRunAt(timing, timeZone, Date.now()), timeZone) : undefined;
  const dates = recipeDates(recipe);

  const save = () =>
    void run('save', async () => {
      const base = tile ? sinceLastRun(recipe) : recipe;
      const saved = await stores.schedules.getState().save({
        name,
        ...(existing ? { previousName: existing.name } : {}),
        recipe: { ...base, output: { ...base.output, format } },
        timing,
        timeZone,
        folder,
        paused: existing?.paused ?? false,
      });
      onSaved?.(saved);
      onClose();
    });

  const choose = () =>
    void run('folder', async () => {
      const chosen = await stores.schedules.getState().chooseFolder();
      if (chosen) setFolder(chosen);
    });

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={existing ? 'Edit schedule' : 'Schedule this export'}
      size="lg"
    >
      <Stack gap="sm">
        <TextInput
          label="Name"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          required
          data-autofocus
        />
        <NativeSelect
          label="Runs"
          value={every}
          onChange={(e) => setEvery(e.currentTarget.value as Every)}
          data={[
            { value: 'hour', label: 'Every hour' },
            { value: 'day', label: 'Every day' },
            { value: 'week', label: 'Every week' },
          ]}
        />
        <Group grow align="start">
          {every === 'hour' && (
            <NumberInput
              label="Minutes past the hour"
              min={0}
              max={59}
              clampBehavior="strict"
              allowDecimal={false}
              value={minute}
              onChange={(v) => setMinute(typeof v === 'number' ? v : Number(v))}
            />
          )}
          {every === 'week' && (
            <NativeSelect
              label="On"
              value={on}
              onChange={(e) => setOn(e.currentTarget.value as Weekday)}
              data={WEEKDAYS.map((d) => ({ value: d, label: WEEKDAY_LABELS[d] }))}
            />
          )}
          {every !== 'hour' && (
            <TextInput
              label="At (24-hour clock)"
              type="time"
              value={at}
              onChange={(e) => setAt(e.currentTarget.value)}
            />
          )}
        </Group>
        <Select
          label="Time zone"
          searchable
          data={zones}
          value={timeZone}
          onChange={(v) => v && setTimeZone(v)}
          nothingFoundMessage="No such time zone"
          comboboxProps={{ withinPortal: true }}
        />
        <Text size="sm" data-testid="schedule-next-run" aria-live="polite">
          {nextRun ? `Next run: ${nextRun}` : 'Give a time to see when it first runs.'}
        </Text>
        <Group align="end" wrap="nowrap">
          <TextInput
            style={{ flex: 1 }}
            label="Folder"
            description={
              desktop
                ? 'Each run saves a new file here. None chosen: a folder for this schedule in the data folder.'
                : 'The full path of a folder on this computer; each run saves a new file there. Empty: a folder for this schedule in the data folder.'
            }
            value={folder}
            readOnly={desktop}
            placeholder={desktop ? 'Default folder' : '/home/me/exports'}
            onChange={(e) => setFolder(e.currentTarget.value)}
          />
          {desktop && (
            <Button variant="default" loading={busy === 'folder'} onClick={choose}>
              Choose…
            </Button>
          )}
        </Group>
        <NativeSelect
          label="Format"
          value={format}
          onChange={(e) => setFormat(e.currentTarget.value as OutputFormat)}
          data={OutputFormatSchema.options.map((f) => ({ value: f, label: FORMAT_LABELS[f] }))}
        />
        {fixed && dates && (
          <Alert color="yellow" title="This export has fixed dates" role="note">
            <Stack gap={6}>
              <Text size="sm">
                With fixed dates ({dates.from} to {dates.to}) each run exports the same days again. Since the
                last run, each run exports what came in after the one before: no row is missed or exported
                twice.
              </Text>
              <Switch
                label="Export what is new since the last run"
                checked={tile}
                onChange={(e) => setTile(e.currentTarget.checked)}
              />
            </Stack>
          </Alert>
        )}
        <ErrorText>{error}</ErrorText>
        <Group justify="end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button loading={busy === 'save'} onClick={save} disabled={!timeValid || name.trim() === ''}>
            Save schedule
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
