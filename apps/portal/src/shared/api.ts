/** An RFC 9457 problem from the API, with its stable `code`. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly errors: { field?: string; index?: number; line?: number; value?: unknown; reason: string }[] = [],
  ) {
    super(detail);
  }
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  token?: string | null;
  /** Sent as is (a File for the CSV preview), with its own content type. */
  rawBody?: BodyInit;
  contentType?: string;
  signal?: AbortSignal;
}

/** JSON in, JSON out; any answer that is not 2xx throws an ApiProblem. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let body: BodyInit | undefined;
  if (options.rawBody !== undefined) {
    body = options.rawBody;
    if (options.contentType) headers['Content-Type'] = options.contentType;
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['Content-Type'] = 'application/json';
  }
  let response: Response;
  try {
    response = await fetch(path, { method: options.method ?? 'GET', headers, body, signal: options.signal, credentials: 'same-origin' });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiProblem(0, 'network_error', 'The service could not be reached. Check your connection and try again.');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const json = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const problem = (json ?? {}) as { code?: string; detail?: string; errors?: ApiProblem['errors'] };
    throw new ApiProblem(response.status, problem.code ?? 'error', problem.detail ?? response.statusText, problem.errors);
  }
  return json as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Dates as people read them, in their own language and time zone. */
export function formatDateTime(iso: string | null | undefined, locale?: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** The API's password rule that can be checked as one types; the common-password list is checked on submit. */
export const MIN_PASSWORD_LENGTH = 10;
