// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, expect, it } from 'vitest';
import { QueryForm } from '../../../renderer/features/export-builder/QueryForm.tsx';
import type { JsonDraft } from '../../../renderer/stores/builder-store.ts';
import { myreportsProvider } from '../../../shared/providers/myreports.ts';
import { FakeClient } from './fake-client.ts';
import { renderWith } from './render.tsx';

afterEach(cleanup);

/** The form with the JSON drafts kept, as the builder keeps them. */
function Form({ onChange }: { onChange(q: Record<string, unknown>): void }) {
  const [drafts, setDrafts] = useState<Record<string, JsonDraft>>({});
  return (
    <QueryForm
      provider={myreportsProvider}
      query={{ dateFilter: { presetName: 'ThisMonth' } }}
      errors={{}}
      connectionId="c1"
      jsonDrafts={drafts}
      onJsonDraft={(key, d) => setDrafts((all) => ({ ...all, [key]: d }))}
      onChange={onChange}
    />
  );
}

it('takes the vendor’s additional conditions as a JSON list, and says so when given anything else', () => {
  const changes: Record<string, unknown>[] = [];
  renderWith(
    new FakeClient({ 'connections.lookup': () => ({ items: [] }) }),
    <Form onChange={(q) => changes.push(q)} />,
  );
  const box = screen.getByRole('textbox', { name: /Additional conditions/ });
  const conditions = [{ fieldName: 'callDir', operator: '=', values: ['2'] }];
  fireEvent.change(box, { target: { value: JSON.stringify(conditions) } });
  expect(changes.at(-1)).toEqual({
    dateFilter: { presetName: 'ThisMonth' },
    additionalConditions: conditions,
  });
  fireEvent.change(box, { target: { value: '{"fieldName": "callDir"}' } });
  expect(screen.getByText(/Write a list in brackets/)).toBeTruthy();
  fireEvent.change(box, { target: { value: '' } });
  expect(changes.at(-1)).toEqual({ dateFilter: { presetName: 'ThisMonth' } });
});
