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

const zoneFormats = new Map<string, Intl.DateTimeFormat>();
/** Per zone and UTC day: the zone's offset that whole day, or NaN on a day its clocks change. */
const dayOffsets = new Map<string, number>();
const DAY_MS = 86_400_000;

/** How far the zone's wall clock is ahead of UTC at an instant, from Intl (the costly call, so cached per day). */
function offsetAt(timeZone: string, epoch: number): number {
  let format = zoneFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    zoneFormats.set(timeZone, format);
  }
  const n = Object.fromEntries(format.formatToParts(epoch).map((p) => [p.type, Number(p.value)]));
  return Date.UTC(n.year, n.month - 1, n.day, n.hour, n.minute, n.second) - (epoch - (((epoch % 1000) + 1000) % 1000));
}

function zoneOffset(timeZone: string, epoch: number): number {
  if (timeZone === 'UTC') return 0;
  const day = Math.floor(epoch / DAY_MS);
  const key = `${timeZone}|${day}`;
  let offset = dayOffsets.get(key);
  if (offset === undefined) {
    const start = offsetAt(timeZone, day * DAY_MS);
    offset = start === offsetAt(timeZone, (day + 1) * DAY_MS - 1) ? start : NaN;
    dayOffsets.set(key, offset);
  }
  return Number.isNaN(offset) ? offsetAt(timeZone, epoch) : offset;
}

/** The wall-clock fields of an instant: in a named zone (the deployment's), or in the browser's own. */
function wallClock(date: Date, timeZone: string | undefined) {
  if (!timeZone) {
    const [year, month, day] = [date.getFullYear(), date.getMonth(), date.getDate()];
    return { year, month, day, hour: date.getHours(), minute: date.getMinutes() };
  }
  const shifted = new Date(date.getTime() + zoneOffset(timeZone, date.getTime()));
  const [year, month, day] = [shifted.getUTCFullYear(), shifted.getUTCMonth(), shifted.getUTCDate()];
  return { year, month, day, hour: shifted.getUTCHours(), minute: shifted.getUTCMinutes() };
}

/** Dates as people read them, in their own language, in the deployment's time zone (or their own). */
export function formatDateTime(iso: string | null | undefined, locale?: string, timeZone?: string): string {
  if (!iso) return '—';
  const { year, month, day, hour, minute } = wallClock(new Date(iso), timeZone);
  const { parts, months, periods, twelveHour } = patternFor(locale);
  // Each numeric part is padded as the sample's single digit was: "05" or "5".
  const pad = (n: number, like: string) => (like.length === 2 ? String(n).padStart(2, '0') : String(n));
  return parts
    .map((p) => {
      switch (p.type) {
        case 'year':
          return String(year);
        case 'month':
          return /^\d+$/.test(p.value) ? pad(month + 1, p.value) : months[month];
        case 'day':
          return pad(day, p.value);
        case 'hour':
          return twelveHour ? String(hour % 12 || 12) : pad(hour, p.value);
        case 'minute':
          return String(minute).padStart(2, '0');
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
