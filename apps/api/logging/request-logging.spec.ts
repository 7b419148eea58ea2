import { redactUrl } from './request-logging';

describe('request log redaction', () => {
  it.each([
    ['/api/public/invitations/abc.def-123/accept', '/api/public/invitations/[redacted]/accept'],
    ['/api/public/invitation-links/tok_en', '/api/public/invitation-links/[redacted]'],
    ['/invite/tok', '/invite/[redacted]'],
    ['/join/tok?utm=x', '/join/[redacted]?utm=[redacted]'],
    ['/api/deployments/d1/invitations?q=alice@example.org&limit=5', '/api/deployments/d1/invitations?q=[redacted]&limit=[redacted]'],
    ['/api/health', '/api/health'],
  ])('%s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});
