import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { addressAllowed, hostOf, type WebhookNetworkPolicy } from '../application/webhook-network-policy';

/** What became of one POST: an HTTP status, or why none came. */
export interface PostResult {
  status: number | null;
  error: string | null;
  durationMs: number;
}

export function delivered(result: PostResult): boolean {
  return result.status !== null && result.status >= 200 && result.status < 300;
}

const TIMEOUT_MS = 10_000;
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POSTs deliveries over keep-alive connections. Each connection goes only to an address the network
 * policy allows, checked on the address actually connected to (a name that resolves to a private
 * address is refused when it resolves, so changing DNS after registration does not reach inside).
 * Redirects are never followed: a 3xx is a failed delivery. The answer's body is read and dropped.
 */
export class WebhookTransport {
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;

  constructor(
    private readonly policy: WebhookNetworkPolicy,
    private readonly timeoutMs = TIMEOUT_MS,
  ) {
    const lookup = guardedLookup(policy);
    this.httpAgent = new http.Agent({ keepAlive: true, lookup } as http.AgentOptions);
    this.httpsAgent = new https.Agent({ keepAlive: true, lookup } as https.AgentOptions);
  }

  post(target: string, headers: Record<string, string>, body: string): Promise<PostResult> {
    const started = performance.now();
    const done = (status: number | null, error: string | null): PostResult => ({
      status,
      error,
      durationMs: Math.round(performance.now() - started),
    });
    const url = new URL(target);
    const host = hostOf(url);
    if (isIP(host) && !addressAllowed(host, this.policy))
      return Promise.resolve(done(null, 'the address is not reachable for webhooks'));
    const client = url.protocol === 'https:' ? https : http;
    const agent = url.protocol === 'https:' ? this.httpsAgent : this.httpAgent;
    return new Promise((resolve) => {
      const request = client.request(
        url,
        {
          method: 'POST',
          agent,
          timeout: this.timeoutMs,
          headers: {
            ...headers,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': 'patient-invitations-webhooks/1',
          },
        },
        (response) => {
          const status = response.statusCode ?? null;
          const finish = () => resolve(done(status, failureOf(status)));
          let read = 0;
          response.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read > MAX_ANSWER_BYTES) response.destroy();
          });
          response.once('end', finish);
          response.once('close', finish);
        },
      );
      request.on('timeout', () => request.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      request.on('error', (error) => resolve(done(null, error.message)));
      request.end(body);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

function failureOf(status: number | null): string | null {
  if (status === null) return 'no status in the answer';
  if (status >= 200 && status < 300) return null;
  return status >= 300 && status < 400 ? `answered ${status}: redirects are not followed` : `answered ${status}`;
}

/** DNS as usual, keeping only the addresses the policy allows: the connection can only go to one of those. */
function guardedLookup(policy: WebhookNetworkPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, found: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const allowed = found.filter((a) => addressAllowed(a.address, policy));
      if (!allowed.length)
        return callback(
          Object.assign(new Error(`${hostname} resolves to no address reachable for webhooks`), { code: 'EREFUSED' }),
          '',
          0,
        );
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, allowed);
      callback(null, allowed[0].address, allowed[0].family);
    });
  };
}
