import { Button, Code, Group, NumberInput, Paper, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { Settings, StorageUsage } from '../../../shared/api.ts';
import { errorMessage } from '../../api/index.ts';
import { useApp, useStores } from '../../stores/context.tsx';
import { formatBytes } from '../../ui/format.ts';

const plural = (n: number, one: string) => `${n.toLocaleString('en-US')} ${one}${n === 1 ? '' : 's'}`;

/** A bound typed in a number field: empty is no bound. */
function bound(value: string | number): number | null {
  if (value === '' || value === undefined) return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

/** The pruning bounds, part of the settings form (saved with Save settings). */
export function PruneFields({
  draft,
  edit,
  error,
}: {
  draft: Settings;
  edit: (patch: Partial<Settings>) => void;
  error: string | undefined;
}) {
  return (
    <Group gap="md" align="start" grow>
      <NumberInput
        id="settings-keep-days"
        label="Keep export data for (days)"
        description="The rows of a finished export go this many days after it finished. Empty: keep them."
        min={1}
        step={1}
        allowDecimal={false}
        value={draft.keepDays ?? ''}
        onChange={(v) => edit({ keepDays: bound(v) })}
        error={error}
      />
      <NumberInput
        id="settings-keep-gb"
        label="Keep at most (GB)"
        description="The oldest finished exports' rows go while all of them take more. Empty: no limit."
        min={0}
        step={1}
        decimalScale={2}
        value={draft.keepGb ?? ''}
        onChange={(v) => edit({ keepGb: bound(v) })}
      />
    </Group>
  );
}

/** How much disk the data folder takes, and "Prune now" with what it would free under the saved bounds. */
export function StoragePanel() {
  const stores = useStores();
  const stored = useApp((s) => s.settings);
  const [usage, setUsage] = useState<StorageUsage>();
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);
  const refresh = useCallback(async () => {
    try {
      setUsage(await stores.client.call('storage.usage', {}));
      setError(undefined);
    } catch (e) {
      setError(`The data folder's use could not be measured: ${errorMessage(e)}`);
    }
  }, [stores]);
  useEffect(() => {
    void refresh();
  }, [refresh, stored]);

  const prune = async () => {
    setBusy(true);
    setDone(undefined);
    try {
      const r = await stores.client.call('storage.prune', {});
      setDone(
        r.exports === 0
          ? 'Nothing to remove.'
          : `Removed the data of ${plural(r.exports, 'export')}, ${formatBytes(r.bytes)} freed. Their records stay in Exports.`,
      );
      await stores.jobs.getState().load();
      await refresh();
    } catch (e) {
      setError(`Not pruned: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };

  const bounded = stored && (stored.keepDays !== null || stored.keepGb !== null);
  return (
    <Stack gap="xs" data-testid="storage-panel">
      {usage ? (
        <>
          <Text size="sm">
            Data folder: <Code data-testid="storage-data-dir">{usage.dataDir}</Code>
          </Text>
          <Text size="sm" data-testid="storage-usage">
            Uses {formatBytes(usage.spoolBytes + usage.otherBytes)}: {formatBytes(usage.spoolBytes)} of export
            data, {formatBytes(usage.otherBytes)} of records, settings and logs.
          </Text>
        </>
      ) : (
        !error && (
          <Text size="sm" c="dimmed">
            Measuring the data folder…
          </Text>
        )
      )}
      <Group gap="sm">
        <Button
          variant="default"
          size="xs"
          loading={busy}
          disabled={!usage || usage.prunable.exports === 0}
          onClick={() => void prune()}
          data-testid="storage-prune"
        >
          Prune now
        </Button>
        {usage && (
          <Text size="sm" c="dimmed" data-testid="storage-prunable">
            {!bounded
              ? 'Set a bound above and save to prune.'
              : usage.prunable.exports === 0
                ? 'Nothing is past the saved bounds.'
                : `Would free ${formatBytes(usage.prunable.bytes)} from ${plural(usage.prunable.exports, 'export')}.`}
          </Text>
        )}
      </Group>
      {done && (
        <Text size="sm" c="teal" role="status" data-testid="storage-pruned">
          {done}
        </Text>
      )}
      {error && (
        <Text size="sm" c="red" role="alert">
          {error}
        </Text>
      )}
    </Stack>
  );
}

/** Both together, as the Settings page shows them. */
export function ExportDataSection(props: Parameters<typeof PruneFields>[0]) {
  return (
    <Paper withBorder p="sm">
      <Stack gap="sm">
        <Title order={3}>Export data</Title>
        <Text size="sm" c="dimmed">
          Each export keeps its rows on this computer so you can look at them and save them again. Old rows
          can be removed to save space: the export stays listed, and Run again fetches it anew.
        </Text>
        <PruneFields {...props} />
        <StoragePanel />
      </Stack>
    </Paper>
  );
}
