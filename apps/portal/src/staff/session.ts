import { useSyncExternalStore } from 'react';
import { ApiProblem, request, type RequestOptions } from '../shared/api';

/**
 * The signed-in staff member's access token, for this browser tab only (sessionStorage). A 401 from
 * any call ends the session: the app shows sign-in over the page it was on, and returns there.
 */
const KEY = 'care-portal.access-token';
const listeners = new Set<() => void>();

function notify(): void {
  for (const listener of listeners) listener();
}

export const session = {
  token(): string | null {
    return sessionStorage.getItem(KEY);
  },
  start(token: string): void {
    sessionStorage.setItem(KEY, token);
    notify();
  },
  end(): void {
    sessionStorage.removeItem(KEY);
    notify();
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

export function useToken(): string | null {
  return useSyncExternalStore(session.subscribe, session.token);
}

/** A call as the signed-in staff member; a 401 ends the session. */
export async function staffRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  try {
    return await request<T>(path, { ...options, token: session.token() });
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 401) session.end();
    throw error;
  }
}
