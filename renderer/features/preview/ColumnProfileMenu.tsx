import { ActionIcon, Popover, Text } from '@mantine/core';
import { useState } from 'react';
import type { ColumnProfile } from '../../../shared/profile.ts';
import { distinctText } from '../../../shared/profile.ts';
import { useProfile } from '../../stores/context.tsx';

const KIND_WORDS: Record<ColumnProfile['kind'], string> = {
  empty: 'Empty (no values yet)',
  boolean: 'True / false',
  integer: 'Whole number',
  bigint: 'Large whole number (kept exact)',
  number: 'Number',
  date: 'Date',
  timestamp: 'Date and time',
  text: 'Text',
};

/** What min and max are called for a kind: the order they come from. */
function boundWords(kind: ColumnProfile['kind']): [string, string] {
  if (kind === 'date' || kind === 'timestamp') return ['Earliest', 'Latest'];
  if (kind === 'text') return ['First (A–Z)', 'Last (A–Z)'];
  return ['Smallest', 'Largest'];
}

const count = (n: number) => n.toLocaleString('en-US');

/** A column's profile, as the definitions the header's profile button shows. */
export function ColumnProfileView({ column, rows }: { column: ColumnProfile; rows: number }) {
  const [minWord, maxWord] = boundWords(column.kind);
  const items: [string, string][] = [
    ['Type', KIND_WORDS[column.kind]],
    ['Empty cells', `${count(column.empty)} of ${count(rows)}`],
    ['Distinct values', distinctText(column)],
  ];
  if (column.min !== undefined) items.push([minWord, String(column.min)]);
  if (column.max !== undefined) items.push([maxWord, String(column.max)]);
  return (
    <dl className="ed-profile-list">
      {items.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A circled "i", drawn (the ⓘ character is missing from many systems' fonts). */
function InfoIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <circle cx="8" cy="8" r="6.75" fill="none" stroke="currentColor" strokeWidth="1.5" />
      <circle cx="8" cy="4.9" r="1" fill="currentColor" />
      <rect x="7.25" y="6.8" width="1.5" height="5" rx="0.75" fill="currentColor" />
    </svg>
  );
}

/** The profile button of a column's header: kind, empty cells, distinct values, min and max. */
export function ColumnProfileMenu({ id }: { id: string }) {
  const column = useProfile((s) => s.profile?.columns.find((c) => c.name === id));
  const rows = useProfile((s) => s.profile?.rowCount ?? 0);
  const partial = useProfile((s) => s.profile?.partial === true);
  const reason = useProfile((s) => s.profile?.partialReason);
  const profiling = useProfile((s) => s.profile?.profiling?.rows);
  const [opened, setOpened] = useState(false);
  return (
    // Focus moves into the profile (its title), so Escape there closes it and gives focus back.
    <Popover
      opened={opened}
      onChange={setOpened}
      position="bottom-start"
      withArrow
      shadow="md"
      trapFocus
      returnFocus
    >
      <Popover.Target>
        <ActionIcon
          onClick={() => setOpened((o) => !o)}
          size="xs"
          variant="subtle"
          aria-label={`Profile of column ${id}`}
          title="Profile of the column"
        >
          <InfoIcon />
        </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown maw={360} aria-label={`Profile of ${id}`}>
        <Text size="sm" fw={600} mb={4} tabIndex={-1} data-autofocus style={{ overflowWrap: 'anywhere' }}>
          {id}
        </Text>
        {column ? (
          <>
            <ColumnProfileView column={column} rows={rows} />
            {partial && (
              <Text size="xs" c="dimmed" mt={4}>
                {profiling === undefined
                  ? `Of the first ${rows.toLocaleString('en-US')} rows only${reason ? ` (profiling stopped: ${reason})` : ''}.`
                  : `Of the first ${rows.toLocaleString('en-US')} of ${profiling.toLocaleString('en-US')} rows so far: the rest are being profiled.`}
              </Text>
            )}
          </>
        ) : (
          <Text size="sm" c="dimmed">
            No profile yet: it appears as the rows arrive.
          </Text>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}
