import { Alert, Button, Group, Radio, Stack, Stepper, Text, Title } from '@mantine/core';
import { useState, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { suggestRecipeFileName } from '../../../shared/filenames.ts';
import { findProvider } from '../../../shared/providers/index.ts';
import { errorMessage } from '../../api/index.ts';
import type { BuilderStep } from '../../stores/builder-store.ts';
import { useBuilder, useConnections, useStores } from '../../stores/context.tsx';
import { OutputStep } from './OutputStep.tsx';
import { QueryForm } from './QueryForm.tsx';
import { buildRecipe, recipeText, validateQuery } from './recipe.ts';

/** Inputs that are not typed into: Enter there is not "go on". */
const NOT_TEXT = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'range', 'color']);

export function ExportBuilderPage() {
  const stores = useStores();
  const connections = useConnections((s) => s.connections);
  const { step, connectionId, query, vendorError, format, csv, name, columns, vendorErrors, jsonDrafts } =
    useBuilder(useShallow((s) => s));
  const [notice, setNotice] = useState<{ ok: boolean; text: string }>();
  const [starting, setStarting] = useState(false);
  const b = stores.builder.getState();

  const connection = connections.find((c) => c.id === connectionId);
  const provider = connection ? findProvider(connection.provider) : undefined;
  const errors = provider ? validateQuery(provider, query) : {};
  // JSON typed but not parsed is not in the query: going on would export without it.
  const unparsed = (provider?.queryFields ?? []).filter(
    (f) => f.kind === 'json' && jsonDrafts[f.key]?.problem,
  );
  const queryOk = !!provider && Object.keys(errors).length === 0 && unparsed.length === 0;
  const recipe =
    connection && queryOk ? buildRecipe({ query, format, csv, name, columns }, connection) : undefined;
  const canNext = step === 0 ? !!connection : queryOk;
  const estimate = step > 0 && queryOk ? provider.estimate?.(query) : undefined;

  const go = (s: BuilderStep) => {
    setNotice(undefined);
    stores.builder.setState({ step: s });
  };

  // Enter in a text field goes on like Next; a field that uses Enter itself (an open list of choices, a
  // tag typed in, a text area) keeps it.
  const enterGoesOn = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'Enter' || e.defaultPrevented || e.nativeEvent.isComposing) return;
    if (e.shiftKey || e.altKey || e.ctrlKey || e.metaKey) return;
    const t = e.target;
    if (!(t instanceof HTMLInputElement) || NOT_TEXT.has(t.type)) return;
    if (t.getAttribute('aria-expanded') === 'true') return;
    if (step >= 2 || !canNext) return;
    e.preventDefault();
    go((step + 1) as BuilderStep);
  };

  const copy = async () => {
    if (!recipe) return;
    try {
      await navigator.clipboard.writeText(recipeText(recipe));
      setNotice({ ok: true, text: 'Recipe copied to the clipboard.' });
    } catch (e) {
      setNotice({ ok: false, text: `Could not copy: ${errorMessage(e)}` });
    }
  };

  const start = async () => {
    if (!recipe) return;
    setStarting(true);
    setNotice(undefined);
    try {
      const job = await stores.jobs.getState().start(recipe);
      stores.app.getState().navigate('exports', job.id);
      b.reset(stores.app.getState().settings?.defaultCsv);
    } catch (e) {
      setNotice({ ok: false, text: errorMessage(e) });
    } finally {
      setStarting(false);
    }
  };

  const saveRecipe = async () => {
    if (!recipe) return;
    setNotice(undefined);
    try {
      const saved = await stores.client.call('recipes.save', {
        recipe,
        fileName: suggestRecipeFileName(recipe),
      });
      setNotice({
        ok: true,
        text: `Saved as ${saved.fileName} in the recipes folder (${saved.path}). Recipes lists it.`,
      });
    } catch (e) {
      setNotice({ ok: false, text: `The recipe was not saved: ${errorMessage(e)}` });
    }
  };

  const recipeActions = (
    <Group gap="xs">
      <Button variant="default" disabled={!recipe} onClick={() => void copy()}>
        Copy as recipe
      </Button>
      <Button variant="default" disabled={!recipe} onClick={() => void saveRecipe()}>
        Save recipe
      </Button>
    </Group>
  );

  return (
    <Stack gap="md">
      <Title order={2}>New export</Title>
      {/* Keyboard only: Next does the same for the mouse. */}
      <div onKeyDown={enterGoesOn}>
        <Stepper
          active={step}
          onStepClick={(s) => go(s as BuilderStep)}
          allowNextStepsSelect={false}
          size="sm"
        >
          <Stepper.Step label="Connection" description="Where the data comes from">
            {connections.length === 0 ? (
              <Stack align="start">
                <Text>There is no connection yet.</Text>
                <Button onClick={() => stores.app.getState().navigate('connections')}>
                  Add a connection
                </Button>
              </Stack>
            ) : (
              <Radio.Group
                label="Connection"
                value={connectionId ?? null}
                onChange={(id) => {
                  const c = connections.find((x) => x.id === id);
                  if (c) b.chooseConnection(c.id, c.provider);
                }}
              >
                <Stack mt="xs" gap="xs">
                  {connections.map((c) => (
                    <Radio
                      key={c.id}
                      id={`builder-connection-${c.id}`}
                      value={c.id}
                      label={c.name}
                      description={findProvider(c.provider)?.name ?? c.provider}
                    />
                  ))}
                </Stack>
              </Radio.Group>
            )}
          </Stepper.Step>
          <Stepper.Step label="Query" description="What to export">
            {provider && (
              <QueryForm
                provider={provider}
                query={query}
                errors={{ ...vendorErrors, ...errors }}
                connectionId={connection?.id}
                vendorError={vendorError}
                jsonDrafts={jsonDrafts}
                onJsonDraft={b.setJsonDraft}
                onChange={b.setQuery}
              />
            )}
          </Stepper.Step>
          <Stepper.Step label="Output" description="Format and options">
            <OutputStep />
          </Stepper.Step>
        </Stepper>
      </div>
      {estimate && (
        <Text size="sm" data-testid="builder-estimate">
          {estimate}
        </Text>
      )}
      {notice && (
        <Alert
          color={notice.ok ? 'green' : 'red'}
          role={notice.ok ? 'status' : 'alert'}
          data-testid="builder-notice"
          withCloseButton
          closeButtonLabel="Dismiss"
          onClose={() => setNotice(undefined)}
        >
          {notice.text}
        </Alert>
      )}
      <Group justify="space-between">
        <Group gap="xs">
          {step > 0 && (
            <Button variant="default" onClick={() => go((step - 1) as BuilderStep)}>
              Back
            </Button>
          )}
          {step < 2 && (
            <Button
              disabled={!canNext}
              aria-describedby={step === 1 && unparsed.length ? 'builder-blocked' : undefined}
              onClick={() => go((step + 1) as BuilderStep)}
            >
              Next
            </Button>
          )}
          {step === 1 && unparsed.length > 0 && (
            <Text id="builder-blocked" data-testid="builder-blocked" size="sm" c="red">
              Fix the JSON in {unparsed.map((f) => `“${f.label}”`).join(' and ')} (or empty it) to go on.
            </Text>
          )}
          {step === 2 && (
            <Button disabled={!recipe} loading={starting} onClick={() => void start()}>
              Start export
            </Button>
          )}
        </Group>
        {step > 0 && recipeActions}
      </Group>
    </Stack>
  );
}
