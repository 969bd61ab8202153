import { Badge, Button, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { FieldSpec } from '../../../shared/providers/types.ts';
import { secretLabel } from './connection-model.ts';
import { ErrorText } from '../../ui/ErrorText.tsx';
import { useAction } from '../../ui/use-action.ts';

interface Props {
  field: FieldSpec;
  /** Whether the keychain holds a value; the value itself never reaches the window. */
  stored: boolean;
  /** The environment variable the value comes from, when the keychain holds none. */
  fromEnv?: string | undefined;
  onSave(value: string): Promise<void>;
  onDelete(): Promise<void>;
}

/**
 * A write-only secret of a saved connection: shows "stored", and lets the user replace or remove it. Both
 * take effect in the keychain at once (the value never waits in the window), so the field says so: the
 * form's Cancel does not bring an old key back.
 */
export function SecretField({ field, stored, fromEnv, onSave, onDelete }: Props) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState('');
  const { busy, error, run: runAction } = useAction();
  const [done, setDone] = useState<string>();
  const id = `secret-${field.key}`;

  const close = () => {
    setValue('');
    setEditing(false);
  };
  const run = async (action: () => Promise<void>, result: string) => {
    setDone(undefined);
    if (!(await runAction('secret', action))) return;
    close();
    setDone(result);
  };

  return (
    <Stack gap={4} data-testid={`secret-field-${field.key}`}>
      <Group gap="sm">
        <Text size="sm" fw={500} id={`${id}-label`}>
          {field.label}
        </Text>
        <Badge color={stored ? 'teal' : 'gray'} variant="light" tt="none">
          {fromEnv ? `from ${fromEnv}` : stored ? 'stored' : 'not set'}
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
        {!editing && stored && !fromEnv && (
          <Button
            size="xs"
            variant="subtle"
            color="red"
            loading={!!busy}
            onClick={() => void run(onDelete, `${secretLabel(field.label)} removed from the keychain.`)}
            aria-label={`Remove ${field.label}`}
          >
            Remove
          </Button>
        )}
      </Group>
      <Text size="xs" c="dimmed">
        {field.help ? `${field.help} ` : ''}
        {fromEnv
          ? `The value comes from the environment variable ${fromEnv}; one set here is kept instead.`
          : 'Replace and Remove are saved to the keychain at once.'}
      </Text>
      {editing && (
        <Group align="end" gap="sm">
          <PasswordInput
            id={id}
            label={`New ${field.label}`}
            description="Saved to the keychain at once; the form’s Cancel does not undo it."
            autoComplete="new-password"
            value={value}
            onChange={(e) => setValue(e.currentTarget.value)}
            style={{ flex: 1 }}
          />
          <Button
            disabled={value === ''}
            loading={!!busy}
            onClick={() =>
              void run(() => onSave(value), `New ${secretLabel(field.label)} saved to the keychain.`)
            }
          >
            Save secret
          </Button>
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
        </Group>
      )}
      {done && (
        <Text size="sm" role="status" data-testid={`secret-result-${field.key}`}>
          {done}
        </Text>
      )}
      <ErrorText>{error}</ErrorText>
    </Stack>
  );
}
