import { useSyncExternalStore } from 'react';
import { ApiProblem, request, type RequestOptions } from '../shared/api';

/**
 * The signed-in member of staff. The access token lives in memory only; the refresh token in an
 * HttpOnly cookie scripts cannot read. Opening or reloading the portal renews the session from the
 * cookie; a refused call renews it once and retries; when renewing fails, sign-in appears over the
 * page that was open, and returns to it.
 */
export type SessionState = 'restoring' | 'signed-in' | 'signed-out' | 'ended';

let token: string | null = null;
let state: SessionState = 'restoring';
let renewing: Promise<boolean> | null = null;
const listeners = new Set<() => void>();

function set(next: SessionState, nextToken: string | null): void {
  token = nextToken;
  state = next;
  for (const listener of listeners) listener();
}

/** One renewal at a time: parallel refused calls share it (a refresh token is good once). */
function renew(): Promise<boolean> {
  renewing ??= request<{ accessToken: string }>('/api/auth/refresh', { method: 'POST' })
    .then(({ accessToken }) => {
      set('signed-in', accessToken);
      return true;
    })
    .catch(() => false)
    .finally(() => (renewing = null));
  return renewing;
}

export const session = {
  start(accessToken: string): void {
    set('signed-in', accessToken);
  },
  /** At start-up: signed in again from the cookie, or signed out. */
  async restore(): Promise<void> {
    if (!(await renew())) set('signed-out', null);
  },
  async signOut(): Promise<void> {
    await request('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
    set('signed-out', null);
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

export function useSessionState(): SessionState {
  return useSyncExternalStore(session.subscribe, () => state);
}

/** A call as the signed-in member of staff; a refused one renews the session once, then ends it. */
export async function staffRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  try {
    return await request<T>(path, { ...options, token });
  } catch (error) {
    if (!(error instanceof ApiProblem && error.status === 401)) throw error;
    if (await renew()) return request<T>(path, { ...options, token });
    set('ended', null);
    throw error;
  }
}
