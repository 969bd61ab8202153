import { ActionIcon, Button, Checkbox, Group, Popover, ScrollArea, Stack } from '@mantine/core';
import { useShallow } from 'zustand/react/shallow';
import { usePreview, useStores } from '../../stores/context.tsx';

const MOVES = [
  { delta: -1, word: 'earlier', glyph: '↑' },
  { delta: 1, word: 'later', glyph: '↓' },
] as const;

/** Show, hide and reorder columns from a list: the keyboard path to everything the header offers. */
export function ColumnsMenu() {
  const stores = useStores();
  const { columnOrder, hidden } = usePreview(
    useShallow((s) => ({ columnOrder: s.columnOrder, hidden: s.hidden })),
  );
  const preview = stores.preview.getState();
  const shown = columnOrder.filter((c) => !hidden[c]).length;
  return (
    <Popover
      position="bottom-end"
      withArrow
      shadow="md"
      trapFocus
      returnFocus
      // The list is as tall as the room below (or above) the button allows, up to 360px: the menu never runs
      // off a short window. 80px is the menu's padding and its Show all row.
      middlewares={{
        flip: true,
        shift: true,
        size: {
          padding: 8,
          apply: ({ availableHeight, elements }) =>
            elements.floating.style.setProperty(
              '--ed-columns-height',
              `${Math.max(120, Math.min(360, availableHeight - 80))}px`,
            ),
        },
      }}
    >
      <Popover.Target>
        <Button size="compact-sm" variant="default" disabled={columnOrder.length === 0}>
          Columns ({shown}/{columnOrder.length})
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Group gap="xs" mb="xs">
          <Button
            size="xs"
            variant="subtle"
            onClick={() => columnOrder.forEach((c) => preview.setHidden(c, false))}
          >
            Show all
          </Button>
        </Group>
        <ScrollArea.Autosize mah="var(--ed-columns-height, 360px)" type="auto">
          <Stack gap={4} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Columns">
            {columnOrder.map((c, i) => (
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
            ))}
          </Stack>
        </ScrollArea.Autosize>
      </Popover.Dropdown>
    </Popover>
  );
}
