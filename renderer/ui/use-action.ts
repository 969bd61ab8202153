import { useState } from 'react';
import { errorMessage } from '../api/index.ts';

/**
 * A button's action: `busy` names the one running, `error` is what the last one threw, for showing next
 * to the control. `run` resolves true when the action succeeded.
 */
export function useAction() {
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const run = async (what: string, action: () => Promise<unknown>): Promise<boolean> => {
    setBusy(what);
    setError(undefined);
    try {
      await action();
      return true;
    } catch (e) {
      setError(errorMessage(e));
      return false;
    } finally {
      setBusy(undefined);
    }
  };
  return { busy, error, setError, run };
}
