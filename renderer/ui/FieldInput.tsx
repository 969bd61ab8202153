import { NativeSelect, Switch, TextInput } from '@mantine/core';
import type { FieldSpec } from '../../shared/providers/types.ts';

interface Props {
  field: FieldSpec;
  id: string;
  value: unknown;
  error: string | undefined;
  /** The choices of a fixed list, shown as a native select; without them a text box. */
  data?: FieldSpec['options'];
  /** Instead of the field's own placeholder. */
  placeholder?: string | undefined;
  /** What the user typed or chose, as is: the caller turns it into the value it keeps. */
  onChange(value: string | boolean): void;
}

/** A plain field of a provider's schema, by its kind: a switch, a fixed list or a text box. */
export function FieldInput({ field: f, id, value, error, data, placeholder, onChange }: Props) {
  const common = { id, label: f.label, description: f.help, required: f.required, error };
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  if (f.kind === 'boolean')
    return (
      <Switch {...common} checked={value === true} onChange={(e) => onChange(e.currentTarget.checked)} />
    );
  if (data)
    return (
      <NativeSelect {...common} data={data} value={text} onChange={(e) => onChange(e.currentTarget.value)} />
    );
  return (
    <TextInput
      {...common}
      type={f.kind === 'url' ? 'url' : 'text'}
      inputMode={f.kind === 'number' ? 'numeric' : undefined}
      placeholder={placeholder ?? f.placeholder}
      value={text}
      onChange={(e) => onChange(e.currentTarget.value)}
    />
  );
}
