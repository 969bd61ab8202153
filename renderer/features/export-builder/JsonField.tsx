import { Textarea } from '@mantine/core';
import { useState } from 'react';
import type { FieldSpec } from '../../../shared/providers/types.ts';
import type { JsonDraft } from '../../stores/builder-store.ts';
import { isRecord } from '../../ui/paths.ts';

interface Props {
  field: FieldSpec;
  /** The object shown, without the keys other fields of the form edit (an array for `jsonArray` fields). */
  value: Record<string, unknown> | unknown[];
  error: string | undefined;
  /** The text as last typed, kept by the builder so that it survives going back and forth. */
  draft: JsonDraft | undefined;
  onDraft(draft: JsonDraft): void;
  onChange(value: Record<string, unknown> | unknown[]): void;
}

const show = (v: Record<string, unknown> | unknown[]) =>
  (Array.isArray(v) ? v.length : Object.keys(v).length) ? JSON.stringify(v, null, 2) : '';

/** JSON typed by hand (a vendor's docs example can be pasted); kept as typed until it parses. */
export function JsonField({ field, value, error, draft, onDraft, onChange }: Props) {
  const [text, setText] = useState(() => draft?.text ?? show(value));
  const syntax = draft?.problem;
  const id = `query-${field.key.replace(/\./g, '-')}`;

  const edit = (next: string) => {
    setText(next);
    if (next.trim() === '') {
      onDraft({ text: next });
      onChange(field.jsonArray ? [] : {});
      return;
    }
    try {
      const parsed: unknown = JSON.parse(next);
      if (field.jsonArray ? !Array.isArray(parsed) : !isRecord(parsed)) {
        onDraft({
          text: next,
          problem: field.jsonArray
            ? 'Write a list in brackets, e.g. [{"fieldName": "callDir", "operator": "=", "values": ["2"]}]'
            : 'Write an object in braces, e.g. {"platform": "whatsapp"}',
        });
        return;
      }
      onDraft({ text: next });
      onChange(parsed as Record<string, unknown> | unknown[]);
    } catch (e) {
      onDraft({ text: next, problem: `Not valid JSON yet: ${e instanceof Error ? e.message : String(e)}` });
    }
  };

  return (
    <Textarea
      id={id}
      label={field.label}
      description={field.help}
      placeholder={field.placeholder ?? (field.jsonArray ? '[{"field": "value"}]' : '{"field": "value"}')}
      rows={4}
      resize="vertical"
      spellCheck={false}
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
      value={text}
      error={syntax ?? error}
      onChange={(e) => edit(e.currentTarget.value)}
    />
  );
}
