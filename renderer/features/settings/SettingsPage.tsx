import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useRef, useState } from 'react';
import { SettingsSchema, type Settings } from '../../../shared/api.ts';
import { useApp, useStores } from '../../stores/context.tsx';
import { CsvOptionsFields } from '../../ui/CsvOptionsFields.tsx';
import { fieldOfMessage, type Field } from './settings-messages.ts';
import { ExportDataSection } from './StoragePanel.tsx';

const THEMES = [
  { value: 'system', label: 'Follow the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

function SettingsForm({ initial }: { initial: Settings }) {
  const stores = useStores();
  const info = useApp((s) => s.info);
  const [draft, setDraft] = useState<Settings>(initial);
  const [serverError, setServerError] = useState<{ field: Field; message: string }>();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  // One save model: every setting, the theme included, takes effect when Save settings is pressed.
  const stored = useApp((s) => s.settings) ?? initial;
  const dirty =
    draft.proxyUrl.trim() !== stored.proxyUrl ||
    draft.caFile.trim() !== stored.caFile ||
    draft.theme !== stored.theme ||
    draft.keepDays !== stored.keepDays ||
    draft.keepGb !== stored.keepGb ||
    JSON.stringify(draft.defaultCsv) !== JSON.stringify(stored.defaultCsv);

  const proxyCheck = SettingsSchema.shape.proxyUrl.safeParse(draft.proxyUrl.trim());
  const proxyError = proxyCheck.success
    ? undefined
    : 'Enter a proxy address such as http://proxy.example.com:8080, or leave it empty.';
  const errorFor = (f: Field) => (serverError?.field === f ? serverError.message : undefined);
  const [proxyTest, setProxyTest] = useState<{ pending: boolean; ok?: boolean; message?: string }>();
  const testProxy = async () => {
    setProxyTest({ pending: true });
    setProxyTest({ pending: false, ...(await stores.app.getState().testProxy(draft.proxyUrl.trim())) });
  };
  const caPicker = useApp((s) => s.caFilePicker);
  const caInput = useRef<HTMLInputElement>(null);
  const [caError, setCaError] = useState<string>();
  const [caChosen, setCaChosen] = useState<string>();
  const [choosingCa, setChoosingCa] = useState(false);
  const chooseCa = async (file?: File) => {
    setChoosingCa(true);
    const r = await stores.app.getState().chooseCaFile(file);
    setChoosingCa(false);
    if (!r.ok) {
      setCaChosen(undefined);
      setCaError(r.message);
      return;
    }
    if (r.path === undefined) return;
    edit({ caFile: r.path });
    setCaChosen(
      file
        ? `${file.name} is checked and kept in the data folder. Save settings to use it.`
        : 'The file is checked. Save settings to use it.',
    );
  };
  const edit = (patch: Partial<Settings>) => {
    if (patch.proxyUrl !== undefined) setProxyTest(undefined);
    if (patch.caFile !== undefined) {
      setCaError(undefined);
      setCaChosen(undefined);
    }
    setDraft((d) => ({ ...d, ...patch }));
    setSaved(false);
    setServerError(undefined);
  };

  const save = async (patch: Partial<Settings>) => {
    setBusy(true);
    const r = await stores.app.getState().saveSettings(patch);
    setBusy(false);
    if (r.ok) {
      setSaved(true);
      setServerError(undefined);
      // A new export not begun yet starts from the new defaults, as it does at startup.
      const builder = stores.builder.getState();
      if (patch.defaultCsv && builder.step === 0 && !builder.connectionId) builder.reset(patch.defaultCsv);
    } else {
      setServerError({ field: fieldOfMessage(r.message), message: r.message });
    }
  };

  return (
    <form
      aria-label="Settings"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (proxyError) return;
        void save({
          proxyUrl: draft.proxyUrl.trim(),
          caFile: draft.caFile.trim(),
          defaultCsv: draft.defaultCsv,
          theme: draft.theme,
          keepDays: draft.keepDays,
          keepGb: draft.keepGb,
        });
      }}
    >
      <Stack gap="md" maw={760}>
        <Paper withBorder p="sm">
          <Stack gap="sm">
            <Title order={3}>Network</Title>
            <TextInput
              id="settings-proxy"
              label="Proxy"
              description="Empty: use HTTPS_PROXY from the environment, if set."
              placeholder="http://proxy.example.com:8080"
              value={draft.proxyUrl}
              error={proxyError ?? errorFor('proxyUrl')}
              onChange={(e) => edit({ proxyUrl: e.currentTarget.value })}
            />
            <Group gap="xs">
              <Button
                variant="default"
                size="xs"
                loading={proxyTest?.pending}
                disabled={!!proxyError || draft.proxyUrl.trim() === ''}
                onClick={() => void testProxy()}
              >
                Test proxy
              </Button>
            </Group>
            {proxyTest && !proxyTest.pending && (
              <Text size="sm" c={proxyTest.ok ? 'teal' : 'red'} role="status" data-testid="proxy-test-result">
                {proxyTest.message}
              </Text>
            )}
            <TextInput
              id="settings-ca-file"
              label="Extra CA certificate file"
              description="A PEM file with your organization's root certificate, added to the built-in ones."
              placeholder="/etc/ssl/certs/corporate-root.pem"
              value={draft.caFile}
              error={caError ?? errorFor('caFile')}
              onChange={(e) => edit({ caFile: e.currentTarget.value })}
            />
            <Group gap="xs">
              <Button
                variant="default"
                size="xs"
                loading={choosingCa}
                onClick={() => {
                  if (caPicker === 'dialog') void chooseCa();
                  else caInput.current?.click();
                }}
              >
                Choose CA file…
              </Button>
              <input
                ref={caInput}
                type="file"
                hidden
                accept=".pem,.crt,.cer,application/x-pem-file,application/x-x509-ca-cert"
                data-testid="settings-ca-file-picker"
                onChange={(e) => {
                  const file = e.currentTarget.files?.[0];
                  e.currentTarget.value = '';
                  if (file) void chooseCa(file);
                }}
              />
              {caChosen && (
                <Text size="sm" c="dimmed" role="status" data-testid="settings-ca-file-chosen">
                  {caChosen}
                </Text>
              )}
            </Group>
          </Stack>
        </Paper>
        <Paper withBorder p="sm">
          <Stack gap="sm">
            <Title order={3}>Default CSV options</Title>
            <CsvOptionsFields
              idPrefix="settings-csv"
              value={draft.defaultCsv}
              onChange={(c) => edit({ defaultCsv: c })}
            />
          </Stack>
        </Paper>
        <Paper withBorder p="sm">
          <Stack gap="sm">
            <Title order={3}>Appearance</Title>
            <NativeSelect
              id="settings-theme"
              label="Theme"
              data={THEMES}
              value={draft.theme}
              onChange={(e) => edit({ theme: e.currentTarget.value as Settings['theme'] })}
            />
          </Stack>
        </Paper>
        <ExportDataSection draft={draft} edit={edit} error={errorFor('keep')} />
        {errorFor('') && (
          <Alert color="red" title="Not saved" role="alert">
            {errorFor('')}
          </Alert>
        )}
        {saved && (
          <Text c="teal" role="status">
            Settings saved and in use.
          </Text>
        )}
        {dirty && (
          <Text size="sm" c="dimmed" data-testid="settings-unsaved">
            Changes not saved yet.
          </Text>
        )}
        <Group>
          <Button type="submit" loading={busy} disabled={!!proxyError}>
            Save settings
          </Button>
        </Group>
        <Paper withBorder p="sm">
          <Stack gap="xs">
            <Title order={3}>This installation</Title>
            <Text size="sm">
              Data folder: <Code data-testid="settings-data-dir">{info?.dataDir ?? '…'}</Code>
            </Text>
            <Group gap="xs">
              <Text size="sm">Secrets:</Text>
              <Badge
                color={info?.keychain.kind === 'keychain' ? 'teal' : 'red'}
                variant="light"
                data-testid="settings-keychain"
              >
                {info?.keychain.kind === 'keychain' ? 'system keychain' : 'this session only'}
              </Badge>
            </Group>
            {info?.keychain.warning && (
              <Text size="sm" c="dimmed">
                {info.keychain.warning}
              </Text>
            )}
            <Text size="xs" c="dimmed">
              Version {info?.version ?? '…'}
            </Text>
          </Stack>
        </Paper>
      </Stack>
    </form>
  );
}

export function SettingsPage() {
  const settings = useApp((s) => s.settings);
  return (
    <Stack gap="md">
      <Title order={2}>Settings</Title>
      {settings ? <SettingsForm initial={settings} /> : <Text c="dimmed">Loading…</Text>}
    </Stack>
  );
}
