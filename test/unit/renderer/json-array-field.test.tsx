// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import { QueryForm } from '../../../renderer/features/export-builder/QueryForm.tsx';
import { myreportsProvider } from '../../../shared/providers/myreports.ts';
import { FakeClient } from './fake-client.ts';
import { renderWith } from './render.tsx';

afterEach(cleanup);

it('takes the vendor’s additional conditions as a JSON list, and says so when given anything else', () => {
  const changes: Record<string, unknown>[] = [];
  renderWith(
    new FakeClient({ 'connections.lookup': () => ({ items: [] }) }),
    <QueryForm
      provider={myreportsProvider}
      query={{ dateFilter: { presetName: 'ThisMonth' } }}
      errors={{}}
      connectionId="c1"
      onChange={(q) => changes.push(q)}
    />,
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
