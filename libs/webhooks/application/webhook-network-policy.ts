import ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';
import { WebhookError } from '../domain/webhook-error';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * Where deliveries may go. Public unicast addresses only, so a webhook cannot be aimed at the
 * service's own network (request forgery); networks an operator names are allowed besides, and
 * loopback over plain http only where time can be moved (tests).
 */
export interface WebhookNetworkPolicy {
  /** CIDR ranges allowed although private (`WEBHOOK_ALLOWED_NETWORKS`). */
  allowedNetworks: readonly string[];
  /** TEST_CLOCK=enabled: http to loopback receivers. */
  allowLoopback: boolean;
}

const MAX_URL_LENGTH = 2000;

/** The URL as it will be called, or a refusal that says why. Names are resolved (and checked) at each delivery. */
export function checkWebhookUrl(raw: string, policy: WebhookNetworkPolicy): string {
  const refuse = (why: string) => new WebhookError('invalid_webhook_url', why, 'url');
  if (typeof raw !== 'string' || raw.length > MAX_URL_LENGTH)
    throw refuse(`A URL of at most ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('Not a URL');
  }
  if (url.username || url.password) throw refuse('A URL without user name or password');
  if (url.hash) throw refuse('A URL without a fragment');
  const host = hostOf(url);
  const loopback = host === 'localhost' || (isIP(host) > 0 && rangeOf(parse(host)) === 'loopback');
  if (url.protocol === 'http:' && !(loopback && policy.allowLoopback)) throw refuse('Webhook URLs use https');
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refuse('Webhook URLs use https');
  if (host === 'localhost' && !policy.allowLoopback) throw refuse('This address is not reachable for webhooks');
  if (isIP(host) && !addressAllowed(host, policy)) throw refuse('This address is not reachable for webhooks');
  return url.toString();
}

/** The host part, without the brackets of an IPv6 literal. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/** May a delivery connect to this address? */
export function addressAllowed(text: string, policy: WebhookNetworkPolicy): boolean {
  if (!ipaddr.isValid(text)) return false;
  const address = parse(text);
  if (policy.allowedNetworks.some((cidr) => inNetwork(address, cidr))) return true;
  const range = rangeOf(address);
  return range === 'unicast' || (range === 'loopback' && policy.allowLoopback);
}

/** Problems with configured networks, for start-up: empty when every entry is a CIDR range. */
export function invalidNetworks(networks: readonly string[]): string[] {
  return networks.filter((cidr) => {
    try {
      ipaddr.parseCIDR(cidr);
      return false;
    } catch {
      return true;
    }
  });
}

function parse(text: string): Address {
  const address = ipaddr.parse(text);
  // An IPv4 address written as IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it is.
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()
    ? (address as ipaddr.IPv6).toIPv4Address()
    : address;
}

function rangeOf(address: Address): string {
  return address.range();
}

function inNetwork(address: Address, cidr: string): boolean {
  const [network, bits] = ipaddr.parseCIDR(cidr);
  return network.kind() === address.kind() && address.match([network, bits] as never);
}
