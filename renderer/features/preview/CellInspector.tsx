import { Button, Group, Modal, ScrollArea, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { errorMessage } from '../../api/index.ts';
import { GUARD_TOOLTIP } from './cell-view.ts';

/** The cell on show: its place and its whole value as text. */
export interface InspectedCell {
  /** 1-based, as the grid numbers rows. */
  row: number;
  column: string;
  text: string;
  guarded: boolean;
}

/**
 * One cell's whole value, however long, with its row and column, and a button copying it. A dialog:
 * Escape closes it and the focus goes back to the grid.
 */
export function CellInspector({ cell, onClose }: { cell: InspectedCell | undefined; onClose(): void }) {
  const [notice, setNotice] = useState<string>();
  const close = () => {
    setNotice(undefined);
    onClose();
  };
  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setNotice('Copied to the clipboard.');
    } catch (e) {
      setNotice(`Could not copy: ${errorMessage(e)}`);
    }
  };
  return (
    <Modal
      opened={!!cell}
      onClose={close}
      title={cell ? `Row ${cell.row.toLocaleString()}, column ${cell.column}` : ''}
      size="lg"
    >
      {cell && (
        <Stack gap="xs">
          <ScrollArea.Autosize mah={360} type="auto">
            <Text
              size="sm"
              ff="monospace"
              data-testid="cell-value"
              style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
            >
              {cell.text}
            </Text>
          </ScrollArea.Autosize>
          {!cell.text && (
            <Text size="sm" c="dimmed">
              This cell is empty.
            </Text>
          )}
          {cell.guarded && (
            <Text size="xs" c="dimmed">
              It starts with = + - or @: it {GUARD_TOOLTIP}.
            </Text>
          )}
          <Group gap="sm">
            <Button size="xs" variant="default" onClick={() => void copy(cell.text)}>
              Copy value
            </Button>
            <Text size="xs" role="status">
              {notice}
            </Text>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
