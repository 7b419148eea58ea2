import { useState } from 'react';
import { ApiProblem } from '../shared/api';

/** A dialog's submit: busy while it runs; a refusal becomes the sentence for its code, or the service's own words. */
export function useSubmit(messages: Record<string, string>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(e instanceof ApiProblem ? (messages[e.code] ?? e.message) : (e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
