import {
  ActionIcon,
  Button,
  Checkbox,
  Group,
  Popover,
  ScrollArea,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { usePreview, useStores } from '../../stores/context.tsx';

const MOVES = [
  { delta: -1, word: 'earlier', glyph: '↑' },
  { delta: 1, word: 'later', glyph: '↓' },
] as const;

/**
 * Show, hide and reorder columns from a list: the keyboard path to everything the header offers. A search
 * box narrows the list by name; Hide all and Show all act on the columns listed.
 */
export function ColumnsMenu() {
  const stores = useStores();
  const { columnOrder, hidden } = usePreview(
    useShallow((s) => ({ columnOrder: s.columnOrder, hidden: s.hidden })),
  );
  const preview = stores.preview.getState();
  const [query, setQuery] = useState('');
  const shown = columnOrder.filter((c) => !hidden[c]).length;
  const needle = query.trim().toLowerCase();
  const listed = needle ? columnOrder.filter((c) => c.toLowerCase().includes(needle)) : columnOrder;
  const setAll = (isHidden: boolean) =>
    stores.preview.setState({
      hidden: {
        ...stores.preview.getState().hidden,
        ...Object.fromEntries(listed.map((c) => [c, isHidden])),
      },
    });
  return (
    <Popover
      position="bottom-end"
      withArrow
      shadow="md"
      trapFocus
      returnFocus
      // The list is as tall as the room below (or above) the button allows, up to 360px: the menu never runs
      // off a short window. 170px is the menu's padding, its hint, the search box and the Show all row.
      middlewares={{
        flip: true,
        shift: true,
        size: {
          padding: 8,
          apply: ({ availableHeight, elements }) =>
            elements.floating.style.setProperty(
              '--ed-columns-height',
              `${Math.max(120, Math.min(360, availableHeight - 170))}px`,
            ),
        },
      }}
    >
      <Popover.Target>
        <Button size="compact-sm" variant="default" disabled={columnOrder.length === 0}>
          Columns ({shown}/{columnOrder.length})
        </Button>
      </Popover.Target>
      <Popover.Dropdown maw={360}>
        <Text size="xs" c="dimmed" mb="xs">
          In the grid, move columns with ‹ › or by dragging a header; resize them with a header’s right edge
          (or its arrow keys).
        </Text>
        <TextInput
          type="search"
          size="xs"
          mb="xs"
          aria-label="Find a column"
          placeholder="Find a column"
          data-autofocus
          value={query}
          onChange={(e) => setQuery(e.currentTarget.value)}
        />
        <Group gap="xs" mb="xs">
          <Button size="xs" variant="subtle" disabled={listed.length === 0} onClick={() => setAll(false)}>
            Show all
          </Button>
          <Button size="xs" variant="subtle" disabled={listed.length === 0} onClick={() => setAll(true)}>
            Hide all
          </Button>
        </Group>
        {listed.length === 0 && (
          <Text size="sm" c="dimmed">
            No column matches “{query.trim()}”.
          </Text>
        )}
        <ScrollArea.Autosize mah="var(--ed-columns-height, 360px)" type="auto">
          <Stack gap={4} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Columns">
            {listed.map((c) => {
              const i = columnOrder.indexOf(c);
              return (
                <Group key={c} component="li" gap={4} wrap="nowrap" justify="space-between">
                  <Checkbox
                    label={c}
                    checked={!hidden[c]}
                    onChange={(e) => preview.setHidden(c, !e.currentTarget.checked)}
                    aria-label={`Show column ${c}`}
                  />
                  <Group gap={2} wrap="nowrap">
                    {MOVES.map(({ delta, word, glyph }) => (
                      <ActionIcon
                        key={word}
                        size="sm"
                        variant="subtle"
                        disabled={columnOrder[i + delta] === undefined}
                        aria-label={`Move ${c} ${word}`}
                        onClick={() => {
                          const next = columnOrder.slice();
                          next.splice(i, 1);
                          next.splice(i + delta, 0, c);
                          stores.preview.setState({ columnOrder: next });
                        }}
                      >
                        {glyph}
                      </ActionIcon>
                    ))}
                  </Group>
                </Group>
              );
            })}
          </Stack>
        </ScrollArea.Autosize>
      </Popover.Dropdown>
    </Popover>
  );
}
