import { z } from 'zod';
import { describe, expect, it, vi } from 'vitest';
import { REQUEST_NAMES } from '../../../shared/api-names.ts';
import {
  handleRequest,
  INTERNAL_ERROR_MESSAGE,
  RequestValidationError,
  toWireError,
  type Handlers,
} from '../../../electron/app/requests.ts';
import { createHandlers } from '../../../electron/app/handlers.ts';
import type { AppService } from '../../../electron/app/service.ts';
import { UserError } from '../../../electron/base/user-error.ts';
import { SaveError } from '../../../electron/export/save.ts';
import { nullLogger } from '../../../electron/http/redact.ts';
import { ExportError } from '../../../electron/jobs/errors.ts';

/** A handler map whose every request answers with its name and the input it was given. */
function echoHandlers(): Handlers {
  return Object.fromEntries(
    REQUEST_NAMES.map((name) => [name, vi.fn(async (input: unknown) => ({ name, input }))]),
  ) as unknown as Handlers;
}

describe('handleRequest', () => {
  it('hands the parsed input to the handler of that request', async () => {
    const handlers = echoHandlers();
    // The schema's default fills in the absent params.
    await expect(handleRequest(handlers, 'connections.lookup', { id: 'c1', name: 'users' })).resolves.toEqual(
      {
        name: 'connections.lookup',
        input: { id: 'c1', name: 'users', params: {} },
      },
    );
    await expect(handleRequest(handlers, 'jobs.list', undefined)).resolves.toEqual({
      name: 'jobs.list',
      input: {},
    });
  });

  it('refuses an unknown request and input its schema refuses, before any handler runs', async () => {
    const handlers = echoHandlers();
    await expect(handleRequest(handlers, 'fs.writeFile', {})).rejects.toThrow(
      new RequestValidationError('Unknown request "fs.writeFile".'),
    );
    await expect(handleRequest(handlers, 'toString', {})).rejects.toBeInstanceOf(RequestValidationError);
    const bad = handleRequest(handlers, 'connections.remove', { id: 5 });
    await expect(bad).rejects.toBeInstanceOf(RequestValidationError);
    await expect(bad).rejects.toThrow(/^id: /);
    await expect(handleRequest(handlers, 'jobs.list', { path: '/etc/passwd' })).rejects.toBeInstanceOf(
      RequestValidationError,
    );
    for (const handler of Object.values(handlers)) expect(handler).not.toHaveBeenCalled();
  });

  it('a refused input is a user error too (the CLI prints it as one)', () => {
    expect(new RequestValidationError('x')).toBeInstanceOf(UserError);
  });
});

describe('createHandlers', () => {
  it('has a handler for every request of the contract', () => {
    expect(Object.keys(createHandlers({} as AppService)).sort()).toEqual([...REQUEST_NAMES].sort());
  });
});

describe('toWireError', () => {
  const logged: string[] = [];
  const log = {
    ...nullLogger,
    error: (msg: string, data?: Record<string, unknown>) => logged.push(`${msg} ${JSON.stringify(data)}`),
  };

  it('passes on what is meant for the user, with its kind', () => {
    expect(toWireError(new RequestValidationError('id: Required'), log, 'jobs.get')).toEqual({
      kind: 'validation',
      message: 'id: Required',
    });
    const zod = z.object({ a: z.string() }).safeParse({});
    expect(toWireError(zod.error, log, 'jobs.get')).toEqual({
      kind: 'validation',
      message: expect.stringMatching(/^a: /),
    });
    expect(toWireError(new UserError('No export with id x.'), log, 'jobs.get')).toEqual({
      kind: 'user',
      message: 'No export with id x.',
    });
    expect(toWireError(new SaveError('The disk is full.', 'ENOSPC'), log, 'exports.save')).toEqual({
      kind: 'user',
      message: 'The disk is full.',
    });
    const vendor = new ExportError({
      vendor: 'OmniQ',
      step: 'test',
      message: 'HTTP 401 Unauthorized.',
      hint: 'Check the API key.',
    });
    expect(toWireError(vendor, log, 'connections.test')).toEqual({
      kind: 'user',
      message: 'HTTP 401 Unauthorized. Check the API key.',
    });
    expect(logged).toEqual([]);
  });

  it('hides anything else from the page and logs it with the request', () => {
    const answer = toWireError(new Error('ECONNRESET at /home/analyst/secret-path'), log, 'app.info');
    expect(answer).toEqual({ kind: 'internal', message: INTERNAL_ERROR_MESSAGE });
    expect(logged.join('\n')).toMatch(/request app\.info failed.*ECONNRESET at \/home\/analyst\/secret-path/);
  });
});
