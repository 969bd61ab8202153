import { Badge, Button, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { FieldSpec } from '../../../shared/providers/types.ts';
import { errorMessage } from '../../api/index.ts';

interface Props {
  field: FieldSpec;
  /** Whether the keychain holds a value; the value itself never reaches the window. */
  stored: boolean;
  onSave(value: string): Promise<void>;
  onDelete(): Promise<void>;
}

/** A write-only secret of a saved connection: shows "stored", and lets the user replace or remove it. */
export function SecretField({ field, stored, onSave, onDelete }: Props) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const id = `secret-${field.key}`;

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      setValue('');
      setEditing(false);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap={4} data-testid={`secret-field-${field.key}`}>
      <Group gap="sm">
        <Text size="sm" fw={500} id={`${id}-label`}>
          {field.label}
        </Text>
        <Badge color={stored ? 'teal' : 'gray'} variant="light">
          {stored ? 'stored' : 'not set'}
        </Badge>
        {!editing && (
          <Button
            size="xs"
            variant="default"
            onClick={() => setEditing(true)}
            aria-label={`${stored ? 'Replace' : 'Set'} ${field.label}`}
          >
            {stored ? 'Replace' : 'Set'}
          </Button>
        )}
        {!editing && stored && (
          <Button
            size="xs"
            variant="subtle"
            color="red"
            loading={busy}
            onClick={() => void run(onDelete)}
            aria-label={`Remove ${field.label}`}
          >
            Remove
          </Button>
        )}
      </Group>
      {field.help && (
        <Text size="xs" c="dimmed">
          {field.help}
        </Text>
      )}
      {editing && (
        <Group align="end" gap="sm">
          <PasswordInput
            id={id}
            label={`New ${field.label}`}
            autoComplete="new-password"
            value={value}
            onChange={(e) => setValue(e.currentTarget.value)}
            style={{ flex: 1 }}
          />
          <Button disabled={value === ''} loading={busy} onClick={() => void run(() => onSave(value))}>
            Save secret
          </Button>
          <Button
            variant="default"
            onClick={() => {
              setValue('');
              setEditing(false);
            }}
          >
            Cancel
          </Button>
        </Group>
      )}
      {error && (
        <Text size="sm" c="red.9" role="alert">
          {error}
        </Text>
      )}
    </Stack>
  );
}
