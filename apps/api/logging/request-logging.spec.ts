import { loggableError, loggerParams, redactUrl } from './request-logging';

describe('request log redaction', () => {
  it.each([
    ['/api/public/invitations/abc.def-123/accept', '/api/public/invitations/[redacted]/accept'],
    ['/api/public/invitation-links/tok_en', '/api/public/invitation-links/[redacted]'],
    ['/invite/tok', '/invite/[redacted]'],
    ['/join/tok?utm=x', '/join/[redacted]?utm=[redacted]'],
    [
      '/api/deployments/d1/invitations?q=alice@example.org&limit=5',
      '/api/deployments/d1/invitations?q=[redacted]&limit=[redacted]',
    ],
    ['/api/health', '/api/health'],
  ])('%s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});

describe('errors in logs', () => {
  it('keep the code and the constraint of a database error, never the values', () => {
    const error = Object.assign(new Error('duplicate key value violates unique constraint "patients_email_key"'), {
      code: '23505',
      constraint: 'patients_email_key',
      table: 'patients',
      detail: 'Key (email)=(alice@example.org) already exists.',
      parameters: ['alice@example.org', 'Alice Example'],
    });
    const logged = JSON.stringify(loggableError(error));
    expect(JSON.parse(logged)).toMatchObject({
      type: 'Error',
      code: '23505',
      constraint: 'patients_email_key',
      table: 'patients',
    });
    expect(logged).not.toContain('alice@example.org');
    expect(logged).not.toContain('Alice Example');
  });

  it('mask addresses in messages of any error', () => {
    expect(loggableError(new Error('Stream for bob.smith+x@example.co.uk is busy')).message).toBe(
      'Stream for [email] is busy',
    );
  });

  it('are serialised this way by the service logger', async () => {
    const { default: pino } = await import('pino');
    const lines: string[] = [];
    const serializers = (loggerParams('info').pinoHttp as { serializers: Record<string, (v: unknown) => unknown> })
      .serializers;
    const logger = pino({ serializers }, { write: (line: string) => void lines.push(line) });
    logger.error(
      { err: Object.assign(new Error('boom'), { detail: 'Key (email)=(carol@example.org)' }) },
      'Request failed',
    );
    expect(lines.join('')).not.toContain('carol@example.org');
  });
});
