import { useEffect, useState } from 'react';
import { ApiProblem, request } from '../shared/api';

export type Loaded<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'failed'; code: string };

/** One GET when the page opens; its failure as a code the page can explain. */
export function usePublic<T>(path: string): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    request<T>(path, { signal: controller.signal })
      .then((value) => setLoaded({ state: 'ready', value }))
      .catch((error: unknown) => {
        if ((error as Error).name === 'AbortError') return;
        setLoaded({ state: 'failed', code: error instanceof ApiProblem ? error.code : 'network_error' });
      });
    return () => controller.abort();
  }, [path]);
  return loaded;
}

/**
 * A form's POST: busy while it runs; a problem the form can explain (`explained`, by code) becomes
 * its error text, any other goes to `onFailed` (a page of its own).
 */
export function usePublicAction(explained: Record<string, string>, onFailed: (code: string) => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<unknown>, onDone: () => void) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await action();
      onDone();
    } catch (problem) {
      const code = problem instanceof ApiProblem ? problem.code : 'network_error';
      if (explained[code]) setError(explained[code]);
      else onFailed(code);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}
