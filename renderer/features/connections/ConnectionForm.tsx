import { Alert, Button, Group, NativeSelect, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import type { Connection } from '../../../shared/api.ts';
import { findProvider, PROVIDERS } from '../../../shared/providers/index.ts';
import type { FieldSpec, ProviderDefinition } from '../../../shared/providers/types.ts';
import { useConnections, useStores } from '../../stores/context.tsx';
import {
  initialValues,
  secretFields,
  settingFields,
  settingsFromValues,
  validateConnection,
  type FormValues,
} from './connection-model.ts';
import { SecretField } from './SecretField.tsx';
import { FieldInput } from '../../ui/FieldInput.tsx';
import { useAction } from '../../ui/use-action.ts';
import { formatClock } from '../../ui/format.ts';
import { CONNECTION_TEST, ResultAlert } from '../../ui/ResultAlert.tsx';
import type { TestResult } from '../../stores/connections-store.ts';

interface Props {
  /** The connection to edit; none adds a new one. */
  connection?: Connection;
  onDone(saved?: Connection): void;
}

/** "Enter the API key": for each secret the vendor needs that was left empty. */
function missingSecrets(provider: ProviderDefinition, typed: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of provider.requiredSecrets) {
    if (key === provider.browserSignIn?.secret || (typed[key] ?? '').trim() !== '') continue;
    const label = provider.connectionFields.find((f) => f.key === key)?.label;
    // "Access key secret" reads "the access key secret"; "API key" keeps its capitals.
    const word = label && /^[A-Z][a-z]/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label;
    if (word) out[key] = `Enter the ${word}`;
  }
  return out;
}

export function ConnectionForm({ connection, onDone }: Props) {
  const stores = useStores();
  const [providerId, setProviderId] = useState(connection?.provider ?? PROVIDERS[0].id);
  const provider = findProvider(providerId) ?? PROVIDERS[0];
  const [name, setName] = useState(connection?.name ?? '');
  const [values, setValues] = useState<FormValues>(() => initialValues(provider, connection));
  const [newSecrets, setNewSecrets] = useState<Record<string, string>>({});
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [submitted, setSubmitted] = useState(false);
  const { busy, error: serverError, run } = useAction();
  // Opened from a button that the form takes the place of: focus goes to its first field.
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    form.current?.querySelector<HTMLElement>('input:not([disabled]), select:not([disabled])')?.focus();
  }, []);

  const live = useConnections((s) => s.connections.find((c) => c.id === connection?.id));
  const [tested, setTested] = useState<TestResult>();
  const errors = {
    ...validateConnection(provider, name, values),
    // A new connection needs the secrets its vendor needs; an edited one keeps them in the keychain.
    ...(connection ? {} : missingSecrets(provider, newSecrets)),
  };
  const labelOf = (key: string) =>
    key === 'name' ? 'Name' : (provider.connectionFields.find((f) => f.key === key)?.label ?? key);
  const blocked = submitted ? Object.keys(errors).map(labelOf) : [];
  const shown = (key: string) => (submitted || touched[key] ? errors[key] : undefined);
  const change = (key: string, v: string | boolean) => {
    setValues((old) => ({ ...old, [key]: v }));
    setTouched((t) => ({ ...t, [key]: true }));
  };

  const testDraft = async () => {
    setTested({ pending: true });
    const r = await stores.connections.getState().testDraft({
      name: name.trim(),
      provider: provider.id,
      settings: settingsFromValues(provider, values),
      secrets: Object.fromEntries(Object.entries(newSecrets).filter(([, v]) => v !== '')),
    });
    setTested({ pending: false, ...r, at: Date.now() });
  };

  const submit = async () => {
    setSubmitted(true);
    if (Object.keys(errors).length > 0) return;
    await run('save', async () => {
      const saved = await stores.connections.getState().save(
        {
          ...(connection ? { id: connection.id } : {}),
          name: name.trim(),
          provider: provider.id,
          settings: settingsFromValues(provider, values),
        },
        connection ? {} : newSecrets,
      );
      onDone(saved);
    });
  };

  const input = (f: FieldSpec) => {
    const data = f.kind === 'select' && f.options?.length && !f.freeText ? f.options : undefined;
    return (
      <FieldInput
        key={f.key}
        field={f}
        id={`connection-${f.key}`}
        // A choice left alone takes the schema's default, which providers list first.
        value={data ? String(values[f.key] ?? '') || (data[0]?.value ?? '') : values[f.key]}
        error={shown(f.key)}
        data={data}
        placeholder={f.placeholder ?? (f.min !== undefined ? `${f.min}–${f.max ?? ''}` : undefined)}
        onChange={(v) => change(f.key, v)}
      />
    );
  };

  return (
    <form
      ref={form}
      aria-label={connection ? `Edit connection ${connection.name}` : 'New connection'}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      noValidate
    >
      <Stack gap="sm" maw={640}>
        <Title order={3}>{connection ? `Edit ${connection.name}` : 'New connection'}</Title>
        <NativeSelect
          id="connection-provider"
          label="Provider"
          disabled={!!connection}
          data={PROVIDERS.map((p) => ({ value: p.id, label: `${p.name} — ${p.summary}` }))}
          value={provider.id}
          onChange={(e) => {
            const next = findProvider(e.currentTarget.value);
            if (!next) return;
            setProviderId(next.id);
            setValues(initialValues(next));
            setTested(undefined);
          }}
        />
        <TextInput
          id="connection-name"
          label="Name"
          required
          description="How you pick this connection in a new export, and how a recipe names it."
          value={name}
          error={shown('name')}
          onChange={(e) => {
            setName(e.currentTarget.value);
            setTouched((t) => ({ ...t, name: true }));
          }}
        />
        {settingFields(provider).map(input)}
        {secretFields(provider).map((f) =>
          connection ? (
            <SecretField
              key={f.key}
              field={f}
              stored={(live ?? connection).secrets[f.key] === true}
              fromEnv={(live ?? connection).secretsFromEnv?.[f.key]}
              onSave={(v) => stores.connections.getState().setSecret(connection.id, f.key, v)}
              onDelete={() => stores.connections.getState().deleteSecret(connection.id, f.key)}
            />
          ) : (
            <PasswordInput
              key={f.key}
              id={`connection-${f.key}`}
              label={f.label}
              description={`${f.help ?? ''} Kept in the system keychain, never shown again.`.trim()}
              autoComplete="new-password"
              required={(provider.requiredSecrets as readonly string[]).includes(f.key)}
              error={shown(f.key)}
              value={newSecrets[f.key] ?? ''}
              onChange={(e) => {
                const v = e.currentTarget.value;
                setNewSecrets((s) => ({ ...s, [f.key]: v }));
                setTouched((t) => ({ ...t, [f.key]: true }));
              }}
            />
          ),
        )}
        {blocked.length > 0 && (
          <Alert color="red" title="Not saved" role="alert" data-testid="connection-form-refusal">
            Fill in {blocked.join(', ')} first.
          </Alert>
        )}
        {serverError && (
          <Alert color="red" title="Not saved" role="alert">
            {serverError}
          </Alert>
        )}
        {tested && !tested.pending && (
          <ResultAlert
            ok={tested.ok}
            titles={CONNECTION_TEST}
            message={tested.message}
            when={tested.at === undefined ? undefined : `Tested ${formatClock(tested.at)} (not saved yet)`}
            testId="connection-test-result"
          />
        )}
        <Group>
          <Button type="submit" loading={!!busy}>
            Save connection
          </Button>
          {!connection && (
            <Button variant="light" loading={tested?.pending} onClick={() => void testDraft()}>
              Test
            </Button>
          )}
          <Button variant="default" onClick={() => onDone()}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
