/**
 * What this adapter needs of a KurrentDB connection string, read without `new URL` (a cluster's
 * string names several hosts: `kurrentdb+discover://a:2113,b:2113?tls=false`).
 */
export interface KurrentConnection {
  /** The string to connect with: the one given, with `nodePreference=leader` added when it was absent. */
  url: string;
  /** host:port of each node named, credentials left out (for messages). */
  hosts: string[];
}

const SCHEME = /^(esdb|kurrentdb|kurrent|kdb)(\+discover)?:\/\//i;

export class ConnectionStringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionStringError';
  }
}

export function parseKurrentConnection(url: string): KurrentConnection {
  const scheme = SCHEME.exec(url);
  if (!scheme)
    throw new ConnectionStringError(
      'EVENTSTORE_URL must start with kurrentdb://, kurrentdb+discover://, esdb:// or esdb+discover://',
    );
  const rest = url.slice(scheme[0].length);
  const end = rest.search(/[/?]/);
  const authority = end === -1 ? rest : rest.slice(0, end);
  const hosts = authority
    .slice(authority.lastIndexOf('@') + 1)
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  if (!hosts.length || hosts.some((h) => !/^[A-Za-z0-9.\-[\]:]+$/.test(h)))
    throw new ConnectionStringError('EVENTSTORE_URL names no valid host');
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  const options = new Map<string, string>();
  for (const pair of query.split('&').filter(Boolean)) {
    const [key, value = ''] = pair.split('=');
    options.set(decodeURIComponent(key).toLowerCase(), decodeURIComponent(value));
  }
  // Without throwing, a conflict comes back as a result the adapter would have to inspect on every path.
  if (options.get('throwonappendfailure')?.toLowerCase() === 'false') {
    throw new ConnectionStringError(
      'EVENTSTORE_URL sets throwOnAppendFailure=false; the adapter needs conflicts as errors: remove it',
    );
  }
  // Aggregates are loaded and then appended at the loaded revision: reads must see the writes just made.
  const preference = options.get('nodepreference');
  if (preference && preference.toLowerCase() !== 'leader') {
    throw new ConnectionStringError(
      `EVENTSTORE_URL sets nodePreference=${preference}; the adapter reads its own writes and needs ` +
        `nodePreference=leader`,
    );
  }
  const withLeader = preference ? url : `${url}${query ? '&' : url.includes('?') ? '' : '?'}nodePreference=leader`;
  return { url: withLeader, hosts };
}
