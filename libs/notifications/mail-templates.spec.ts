import { formatExpiry, MailTemplates, TEMPLATES } from './mail-templates';
import { retryAfterMs } from './transports/mailgun-transport';
import { planBatches, type QueuedMail } from './sending/mail-batches';

describe('mail templates', () => {
  const templates = new MailTemplates();
  const vars = {
    deploymentName: 'A & B <i>',
    downloadUrl: 'https://apps.example.org/get',
    link: 'https://x.example.org/invite/k.abc.def',
    expiresAt: '5 December 2030 at 07:00 UTC',
  };

  it.each(TEMPLATES)('%s has an escaped HTML part and a plain text part', (name) => {
    const mail = templates.render(name, vars);
    expect(mail.html).toContain('A &amp; B &lt;i&gt;');
    expect(mail.text).toContain('A & B <i>');
    expect(mail.text).toContain('https://apps.example.org/get\n');
    if (name !== 'already-registered') {
      expect(mail.text.split('\n')).toContain(vars.link);
      expect(mail.html).toContain(`href="${vars.link}"`);
    }
  });

  it('fails on a missing variable instead of leaving a blank (strict mode)', () => {
    expect(() => templates.render('invitation', { deploymentName: 'X', downloadUrl: 'u' })).toThrow(/link/);
  });

  it('keeps subjects on one line', () => {
    expect(templates.render('invitation', { ...vars, deploymentName: 'Evil\r\nBcc: x@example.org' }).subject).toBe(
      'Evil Bcc: x@example.org invites you to the patient app',
    );
  });

  it('gives no access to prototype properties', () => {
    const sneaky = Object.assign(Object.create({ deploymentName: 'from the prototype' }), {
      downloadUrl: 'u',
      link: 'l',
      expiresAt: 'e',
    });
    expect(() => templates.render('invitation', sneaky)).toThrow();
  });

  it('formats expiry dates unambiguously, in UTC', () => {
    expect(formatExpiry('2030-12-05T07:00:00.000Z')).toBe('5 December 2030 at 07:00 UTC');
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('120')).toBe(120_000);
    expect(retryAfterMs('Wed, 01 Jan 2031 00:01:00 GMT', Date.parse('2031-01-01T00:00:00Z'))).toBe(60_000);
    expect(retryAfterMs(undefined)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});

describe('batches', () => {
  const row = (n: number, to: string, template = 'invitation', deployment = 'd1'): QueuedMail => ({
    event_id: `e${n}`,
    template,
    recipient: to,
    deployment_id: deployment,
    invitation_id: null,
    link_kind: null,
    link_id: null,
    nonce: null,
    expires_at: null,
    attempts: 0,
  });

  it('never puts one address twice in a batch, nor more than the transport takes', () => {
    const rows = [
      row(1, 'a'),
      row(2, 'b'),
      row(3, 'a'),
      row(4, 'c'),
      row(5, 'd', 'reminder'),
      row(6, 'e', 'invitation', 'd2'),
    ];
    const batches = planBatches(rows, 2);
    expect(batches.map((b) => b.rows.map((r) => r.event_id))).toEqual([['e1', 'e2'], ['e3', 'e4'], ['e5'], ['e6']]);
  });
});
