import { Alert, Button, Code, FileButton, Group, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { SavedRecipe } from '../../../shared/api.ts';
import { exportTitle } from '../../../shared/filenames.ts';
import type { Recipe } from '../../../shared/jobs.ts';
import { findProvider } from '../../../shared/providers/index.ts';
import { errorMessage } from '../../api/index.ts';
import { useConnections, useStores } from '../../stores/context.tsx';
import { formatTime } from '../../ui/format.ts';
import { ScheduleButton } from '../schedules/ScheduleButton.tsx';

/** The same limit the main process keeps: a recipe is a few hundred bytes. */
const MAX_RECIPE_BYTES = 1_000_000;

/** How a recipe is called in the list: its name, or what it exports. */
export function recipeTitle(recipe: Recipe): string {
  return recipe.name?.trim() || exportTitle({ recipe, createdAt: '' });
}

type Notice = { ok: boolean; text: string };

/**
 * The recipes kept in the data folder's recipes folder (Save recipe in New export puts them there, Import
 * copies a file there), each opened into New export with every field as saved.
 */
export function RecipesPage() {
  const stores = useStores();
  const client = stores.client;
  const connections = useConnections((s) => s.connections);
  const [listing, setListing] = useState<{ folder: string; recipes: SavedRecipe[] }>();
  const [loadError, setLoadError] = useState<string>();
  const [notice, setNotice] = useState<Notice>();
  const [importing, setImporting] = useState(false);
  const [removing, setRemoving] = useState<{ fileName: string; title: string }>();
  const [removeError, setRemoveError] = useState<string>();

  const load = useCallback(async () => {
    try {
      setListing(await client.call('recipes.list', {}));
      setLoadError(undefined);
    } catch (e) {
      setLoadError(errorMessage(e));
    }
  }, [client]);
  useEffect(() => void load(), [load]);

  const importFile = async (file?: { name: string; text: string }) => {
    setImporting(true);
    setNotice(undefined);
    try {
      const r = await client.call('recipes.import', file ? { file } : {});
      if (r.imported) setNotice({ ok: true, text: `Imported ${r.fileName ?? 'the recipe'}.` });
      await load();
    } catch (e) {
      setNotice({ ok: false, text: errorMessage(e) });
    } finally {
      setImporting(false);
    }
  };

  const pickInBrowser = async (file: File | null) => {
    if (!file) return;
    if (file.size > MAX_RECIPE_BYTES) {
      setNotice({ ok: false, text: `${file.name} is too big to be a recipe. Pick the recipe's .json file.` });
      return;
    }
    await importFile({ name: file.name, text: await file.text() });
  };

  const open = (recipe: Recipe) => {
    const name = recipe.connection;
    const connection = connections.find((c) => c.name.toLowerCase() === name.toLowerCase());
    const vendor = findProvider(recipe.provider)?.name ?? recipe.provider;
    if (!connection) {
      setNotice({
        ok: false,
        text: `No connection is named “${name}”. Add a ${vendor} connection named “${name}” under Connections, then open the recipe again.`,
      });
      return;
    }
    if (connection.provider !== recipe.provider) {
      setNotice({
        ok: false,
        text: `The recipe is for ${vendor}, but “${connection.name}” is a ${findProvider(connection.provider)?.name ?? connection.provider} connection. Rename one of them, or edit the recipe's "connection".`,
      });
      return;
    }
    stores.builder.getState().editRecipe(recipe, connection.id);
    stores.app.getState().navigate('new-export');
  };

  const confirmRemove = async () => {
    if (!removing) return;
    try {
      await client.call('recipes.remove', { fileName: removing.fileName });
      setNotice({ ok: true, text: `Removed ${removing.fileName}.` });
      setRemoving(undefined);
      await load();
    } catch (e) {
      setRemoveError(errorMessage(e));
    }
  };

  const importButton =
    client.kind === 'desktop' ? (
      <Button loading={importing} onClick={() => void importFile()}>
        Import recipe…
      </Button>
    ) : (
      <FileButton onChange={(f) => void pickInBrowser(f)} accept="application/json,.json">
        {(props) => (
          <Button {...props} loading={importing}>
            Import recipe…
          </Button>
        )}
      </FileButton>
    );

  const recipes = listing?.recipes ?? [];
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Recipes</Title>
        {importButton}
      </Group>
      <Text size="sm" c="dimmed">
        Save recipe in New export keeps a recipe here; Import copies a recipe file here. Open one to run it
        again or change it. The command line runs the same files: <Code>exportdesk export FILE</Code>.
        {listing && (
          <>
            {' '}
            Folder: <Code data-testid="recipes-folder">{listing.folder}</Code>
          </>
        )}
      </Text>
      {notice && (
        <Alert
          color={notice.ok ? 'green' : 'red'}
          role={notice.ok ? 'status' : 'alert'}
          data-testid="recipes-notice"
          className="ed-break"
          style={{ whiteSpace: 'pre-line' }}
          withCloseButton
          closeButtonLabel="Dismiss"
          onClose={() => setNotice(undefined)}
        >
          {notice.text}
        </Alert>
      )}
      {loadError && (
        <Alert color="red" title="Could not list the recipes">
          {loadError}
        </Alert>
      )}
      {listing && recipes.length === 0 ? (
        <Text c="dimmed">No recipes saved yet. Save one from New export, or import a recipe file.</Text>
      ) : (
        <Table striped verticalSpacing={6} horizontalSpacing={6} fz="sm" aria-label="Recipes">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Recipe</Table.Th>
              <Table.Th>Connection</Table.Th>
              <Table.Th>File</Table.Th>
              <Table.Th>Saved</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {recipes.map((r) => {
              const title = r.recipe ? recipeTitle(r.recipe) : r.fileName;
              return (
                <Table.Tr key={r.fileName} data-testid="recipe-row">
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {title}
                    </Text>
                    {r.recipe ? (
                      <Text size="xs" c="dimmed">
                        {findProvider(r.recipe.provider)?.name ?? r.recipe.provider},{' '}
                        {r.recipe.output.format.toUpperCase()}
                      </Text>
                    ) : (
                      <Text size="xs" c="red.9" className="ed-break" style={{ whiteSpace: 'pre-line' }}>
                        {r.problem}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{r.recipe?.connection ?? '—'}</Table.Td>
                  <Table.Td>
                    <Code className="ed-file-name">{r.fileName}</Code>
                  </Table.Td>
                  <Table.Td>{formatTime(r.modifiedAt)}</Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      {r.recipe && (
                        <Button
                          size="xs"
                          variant="light"
                          onClick={() => r.recipe && open(r.recipe)}
                          aria-label={`Open ${title}`}
                        >
                          Open
                        </Button>
                      )}
                      {r.recipe && <ScheduleButton recipe={r.recipe} title={title} />}
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        onClick={() => {
                          setRemoveError(undefined);
                          setRemoving({ fileName: r.fileName, title });
                        }}
                        aria-label={`Remove ${title}`}
                      >
                        Remove
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      <Modal opened={!!removing} onClose={() => setRemoving(undefined)} title="Remove recipe?">
        <Stack>
          <Text>
            Remove “{removing?.title}”? Its file <Code>{removing?.fileName}</Code> is deleted from the recipes
            folder. Exports already made from it stay in Exports.
          </Text>
          {removeError && (
            <Text c="red" role="alert">
              {removeError}
            </Text>
          )}
          <Group justify="end">
            <Button variant="default" onClick={() => setRemoving(undefined)} data-autofocus>
              Cancel
            </Button>
            <Button color="red" onClick={() => void confirmRemove()}>
              Remove
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
