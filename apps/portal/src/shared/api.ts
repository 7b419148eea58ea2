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
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body,
      signal: options.signal,
      credentials: 'same-origin',
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiProblem(0, 'network_error', 'The service could not be reached. Check your connection and try again.');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const json = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const problem = (json ?? {}) as { code?: string; detail?: string; errors?: ApiProblem['errors'] };
    throw new ApiProblem(
      response.status,
      problem.code ?? 'error',
      problem.detail ?? response.statusText,
      problem.errors,
    );
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

type Part = { type: string; value: string };
const patterns = new Map<string, { parts: Part[]; months: string[]; periods: [string, string]; twelveHour: boolean }>();

/**
 * The locale's own pattern for "medium date, short time", learnt once from Intl and then filled in
 * by hand: Intl's format() costs about half a millisecond a call here, and a list page has a hundred.
 */
function patternFor(locale: string | undefined) {
  const key = locale ?? '';
  let pattern = patterns.get(key);
  if (!pattern) {
    const format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    const months = Array.from(
      { length: 12 },
      (_, m) =>
        format.formatToParts(new Date(2001, m, 15, 9, 5)).find((p) => p.type === 'month')?.value ?? String(m + 1),
    );
    const period = (h: number) =>
      format.formatToParts(new Date(2001, 0, 15, h, 5)).find((p) => p.type === 'dayPeriod')?.value ?? '';
    // Single digits in the sample show whether the locale pads day, month and hour.
    const parts = format.formatToParts(new Date(2001, 0, 5, 9, 5));
    pattern = {
      parts,
      months,
      periods: [period(9), period(21)],
      twelveHour: parts.some((p) => p.type === 'dayPeriod'),
    };
    patterns.set(key, pattern);
  }
  return pattern;
}

/** Dates as people read them, in their own language and time zone. */
export function formatDateTime(iso: string | null | undefined, locale?: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  const { parts, months, periods, twelveHour } = patternFor(locale);
  const hour = date.getHours();
  // Each numeric part is padded as the sample's single digit was: "05" or "5".
  const pad = (n: number, like: string) => (like.length === 2 ? String(n).padStart(2, '0') : String(n));
  return parts
    .map((p) => {
      switch (p.type) {
        case 'year':
          return String(date.getFullYear());
        case 'month':
          return /^\d+$/.test(p.value) ? pad(date.getMonth() + 1, p.value) : months[date.getMonth()];
        case 'day':
          return pad(date.getDate(), p.value);
        case 'hour':
          return twelveHour ? String(hour % 12 || 12) : pad(hour, p.value);
        case 'minute':
          return String(date.getMinutes()).padStart(2, '0');
        case 'dayPeriod':
          return periods[hour < 12 ? 0 : 1];
        default:
          return p.value;
      }
    })
    .join('');
}

/** The API's password rule that can be checked as one types; the common-password list is checked on submit. */
export const MIN_PASSWORD_LENGTH = 10;
