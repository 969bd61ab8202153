/**
 * Everything the command prints goes through here, so no text from outside can drive the terminal
 * (shared/text.ts says why). The command's own terminal control (the redrawn progress line) is written with
 * writeControl, past the filter.
 */
import { escapeControlChars } from '../../shared/text.ts';
import type { CliIO } from './io.ts';

const RAW = Symbol('raw stream');

type Stream = CliIO['stdout'];

/** `stream`, with every string written to it escaped; everything else (isTTY, columns, events) as it is. */
function printableStream<S extends Stream>(stream: S): S {
  return new Proxy(stream, {
    get(target, prop) {
      if (prop === RAW) return target;
      if (prop === 'write')
        return (chunk: unknown, ...rest: unknown[]) =>
          (target.write as (...args: unknown[]) => boolean)(
            typeof chunk === 'string' ? escapeControlChars(chunk) : chunk,
            ...rest,
          );
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The same IO, its standard output and error filtered. Applying it twice changes nothing more. */
export function printableIO(io: CliIO): CliIO {
  if ((io.stderr as Stream & { [RAW]?: Stream })[RAW]) return io;
  return { ...io, stdout: printableStream(io.stdout), stderr: printableStream(io.stderr) };
}

/** Writes the command's own control sequence (not text from outside) unfiltered. */
export function writeControl(stream: Stream, sequence: string): void {
  ((stream as Stream & { [RAW]?: Stream })[RAW] ?? stream).write(sequence);
}
