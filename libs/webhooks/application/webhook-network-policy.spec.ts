import { addressAllowed, checkWebhookUrl, invalidNetworks, type WebhookNetworkPolicy } from './webhook-network-policy';

const strict: WebhookNetworkPolicy = { allowedNetworks: [], allowLoopback: false };
const testing: WebhookNetworkPolicy = { allowedNetworks: [], allowLoopback: true };
const office: WebhookNetworkPolicy = { allowedNetworks: ['10.20.0.0/16', 'fd00::/8'], allowLoopback: false };

describe('where webhooks may be delivered', () => {
  it.each(['8.8.8.8', '2001:4860:4860::8888'])('public address %s: yes', (address) =>
    expect(addressAllowed(address, strict)).toBe(true),
  );

  it.each([
    '127.0.0.1',
    '::1',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::',
    'fd12::1',
    'fe80::1',
    '::ffff:10.0.0.1',
    '::ffff:127.0.0.1',
    '224.0.0.1',
    'not an address',
  ])('private, local or special %s: no', (address) => expect(addressAllowed(address, strict)).toBe(false));

  it('allows configured networks, and loopback only where time can be moved', () => {
    expect(addressAllowed('10.20.3.4', office)).toBe(true);
    expect(addressAllowed('10.21.3.4', office)).toBe(false);
    expect(addressAllowed('fd00::5', office)).toBe(true);
    expect(addressAllowed('127.0.0.1', testing)).toBe(true);
    expect(addressAllowed('10.0.0.1', testing)).toBe(false);
  });

  it('takes https URLs to public hosts, and http only to loopback where time can be moved', () => {
    expect(checkWebhookUrl('https://hooks.example.org/in?x=1', strict)).toBe('https://hooks.example.org/in?x=1');
    expect(checkWebhookUrl('http://127.0.0.1:8080/in', testing)).toBe('http://127.0.0.1:8080/in');
    expect(checkWebhookUrl('http://localhost:8080/in', testing)).toBe('http://localhost:8080/in');
    expect(() => checkWebhookUrl('http://10.20.0.9/in', office)).toThrow(
      expect.objectContaining({ code: 'invalid_webhook_url' }),
    );
  });

  it.each([
    'http://hooks.example.org/in',
    'http://127.0.0.1:8080/in',
    'https://localhost/in',
    'https://127.0.0.1/in',
    'https://[::1]/in',
    'https://10.0.0.1/in',
    'https://u:p@hooks.example.org/in',
    'https://hooks.example.org/in#x',
    'ws://hooks.example.org/in',
    'nothing like a URL',
    `https://hooks.example.org/${'a'.repeat(2000)}`,
  ])('refuses %s', (url) => {
    expect(() => checkWebhookUrl(url, strict)).toThrow(expect.objectContaining({ code: 'invalid_webhook_url' }));
  });

  it('names what in the configuration is not a CIDR range', () => {
    expect(invalidNetworks(['10.0.0.0/8', 'fd00::/8', '10.0.0.1', 'nonsense'])).toEqual(['10.0.0.1', 'nonsense']);
  });
});
