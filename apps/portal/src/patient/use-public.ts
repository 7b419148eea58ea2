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
