import { formatExpiry, MailTemplates, TEMPLATES } from './mail-templates';

describe('mail templates', () => {
  const templates = new MailTemplates();
  const vars = {
    deploymentName: 'A & B <i>',
    downloadUrl: 'https://apps.example.org/get',
    link: 'https://x.example.org/invite/k.abc.def',
    expiresAt: '5 December 2030 at 07:00 UTC',
  };

  const ACCOUNT_EMAILS: readonly string[] = ['password-reset', 'staff-invitation'];

  it.each(TEMPLATES.filter((t) => !ACCOUNT_EMAILS.includes(t)))(
    '%s has an escaped HTML part and a plain text part',
    (name) => {
      const mail = templates.render(name, vars);
      expect(mail.html).toContain('A &amp; B &lt;i&gt;');
      expect(mail.text).toContain('A & B <i>');
      expect(mail.text).toContain('https://apps.example.org/get\n');
      if (name !== 'already-registered') {
        expect(mail.text.split('\n')).toContain(vars.link);
        expect(mail.html).toContain(`href="${vars.link}"`);
      }
    },
  );

  it.each(ACCOUNT_EMAILS)('%s carries its one-time link, alone on a line, and its expiry', (name) => {
    const mail = templates.render(name as (typeof TEMPLATES)[number], {
      ...vars,
      link: 'https://x.example.org/reset/k.abc&def',
    });
    expect(mail.text.split('\n')).toContain('https://x.example.org/reset/k.abc&def');
    expect(mail.html).toContain('href="https://x.example.org/reset/k.abc&amp;def"');
    expect(mail.text).toContain(vars.expiresAt);
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
