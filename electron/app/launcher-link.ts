/**
 * A process started again with the bounded heap (heap.ts) must not outlive the one that started it. Signals
 * are passed on, but SIGKILL cannot be caught, and a launcher that crashes sends nothing: the export would
 * run on unseen and write its file later. So the launcher hands its child one end of a pipe and never
 * writes to it; when the launcher ends, for whatever reason, the operating system closes its end and the
 * child sees the pipe end. That works the same on Linux, macOS and Windows, where parent-death signals
 * (Linux's prctl) do not exist.
 */
import net from 'node:net';

/** Names the child's file descriptor of the pipe (the launcher sets it; nobody else should). */
export const LAUNCHER_FD_ENV = 'EXPORTDESK_LAUNCHER_FD';

/** The pipe is the child's fourth stdio entry: 0–2 are the shared terminal. */
export const LAUNCHER_FD = 3;

/** Time a cancelled export gets to tidy up (abort requests, remove its temp file) before the process exits. */
const STOP_GRACE_MS = 10_000;

/**
 * What a child does when its launcher is gone: stop as if the user pressed Ctrl-C (the export is cancelled,
 * its temp file removed, nothing written), and exit regardless if that takes too long. A process with no
 * handler for SIGTERM (a prompt, a listing) simply ends.
 */
function stopOrphan(): void {
  process.stderr.write('\nExport Desk: the command that started this process has ended; stopping.\n');
  setTimeout(() => process.exit(1), STOP_GRACE_MS).unref();
  process.kill(process.pid, 'SIGTERM');
}

/**
 * In a process started by the launcher: watches the pipe and calls `onGone` once the launcher has ended.
 * Does nothing in a process started any other way. The pipe never keeps the process alive on its own.
 */
export function watchLauncher(onGone: () => void = stopOrphan): void {
  const fd = Number(process.env[LAUNCHER_FD_ENV]);
  // Processes this one starts must not take the number for a pipe of their own.
  delete process.env[LAUNCHER_FD_ENV];
  if (fd !== LAUNCHER_FD) return;
  let pipe: net.Socket;
  try {
    pipe = new net.Socket({ fd, readable: true, writable: false });
  } catch {
    return;
  }
  let gone = false;
  const end = (): void => {
    if (gone) return;
    gone = true;
    onGone();
  };
  // Nothing is ever written; reading is what lets the end of the pipe be seen.
  pipe.on('data', () => undefined);
  pipe.once('end', end);
  pipe.once('close', end);
  pipe.on('error', end);
  pipe.unref();
}
