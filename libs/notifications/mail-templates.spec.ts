import { LANGUAGES } from '@app/identity';
import { formatExpiry, loadMessages, MailTemplates, type MailVariables, TEMPLATES } from './mail-templates';

describe('mail templates', () => {
  const templates = new MailTemplates();
  const vars: MailVariables = {
    language: 'en',
    deploymentName: 'A & B <i>',
    downloadUrl: 'https://apps.example.org/get',
    link: 'https://x.example.org/invite/k.abc.def',
    expiresAt: '5 December 2030 at 07:00 UTC',
    intro: '',
    signOff: '',
  };

  const ACCOUNT_EMAILS: readonly string[] = ['password-reset', 'staff-invitation'];
  const PATIENT_EMAILS = TEMPLATES.filter((t) => !ACCOUNT_EMAILS.includes(t));

  it.each(PATIENT_EMAILS)('%s has an escaped HTML part and a plain text part', (name) => {
    const mail = templates.render(name, vars);
    expect(mail.html).toContain('A &amp; B &lt;i&gt;');
    expect(mail.text).toContain('A & B <i>');
    expect(mail.text).toContain('https://apps.example.org/get\n');
    if (name !== 'already-registered') {
      expect(mail.text.split('\n')).toContain(vars.link);
      expect(mail.html).toContain(`href="${vars.link}"`);
    }
  });

  it.each(ACCOUNT_EMAILS)('%s carries its one-time link, alone on a line, and its expiry', (name) => {
    const mail = templates.render(name as (typeof TEMPLATES)[number], {
      ...vars,
      link: 'https://x.example.org/reset/k.abc&def',
    });
    expect(mail.text.split('\n')).toContain('https://x.example.org/reset/k.abc&def');
    expect(mail.html).toContain('href="https://x.example.org/reset/k.abc&amp;def"');
    expect(mail.text).toContain(vars.expiresAt);
  });

  describe('languages', () => {
    const messages = loadMessages();
    const english = Object.keys(messages.en).sort();

    it.each(LANGUAGES)('%s has every message English has, and no other', (language) => {
      expect(Object.keys(messages[language]).sort()).toEqual(english);
      for (const key of english) expect(messages[language][key].trim()).not.toBe('');
    });

    it.each(LANGUAGES)('%s uses the same placeholders as English in every message', (language) => {
      const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      for (const key of english)
        expect([key, placeholders(messages[language][key])]).toEqual([key, placeholders(messages.en[key])]);
    });

    it.each(LANGUAGES.flatMap((language) => TEMPLATES.map((template) => [language, template] as const)))(
      '%s renders %s completely, in its own words',
      (language, template) => {
        const mail = templates.render(template, { ...vars, language });
        expect(mail.html).toContain(`<html lang="${language}">`);
        expect(mail.subject).toBe(
          messages[language][`${template}.subject`].replace('{deploymentName}', vars.deploymentName),
        );
        expect(mail.text).toContain(messages[language]['common.hello']);
        expect(mail.html).toContain(messages[language]['common.footer'].replace(/'/g, '&#x27;'));
        expect(`${mail.subject}${mail.html}${mail.text}`).not.toMatch(/\{\w+\}|undefined/);
      },
    );

    it('writes German emails in German', () => {
      const mail = templates.render('invitation', { ...vars, language: 'de' });
      expect(mail.subject).toBe('A & B <i> lädt Sie zur Patienten-App ein');
      expect(mail.text).toMatch(/^Guten Tag,\n/);
      expect(mail.text).toContain('Schritt 1. Laden Sie die Patienten-App herunter:\nhttps://apps.example.org/get\n');
    });
  });

  it("opens and closes with the deployment's own texts, escaped in HTML, line breaks kept", () => {
    const mail = templates.render('invitation', {
      ...vars,
      intro: 'Dear <b>patient</b>,\nwelcome.',
      signOff: 'Ward 7',
    });
    expect(mail.text).toMatch(/^Hello,\n\nDear <b>patient<\/b>,\nwelcome\.\n\n/);
    expect(mail.text.trimEnd()).toMatch(/\n\nWard 7$/);
    expect(mail.html).toContain('<p>Dear &lt;b&gt;patient&lt;/b&gt;,<br>welcome.</p>');
    expect(mail.html).toContain('<p>Ward 7</p>');
    const plain = templates.render('invitation', vars);
    expect(plain.text).toMatch(/^Hello,\n\nA & B <i> invites you/);
    expect(plain.html).not.toContain('<p></p>');
  });

  it('fails on a missing variable instead of leaving a blank (strict mode)', () => {
    const { link: _link, ...withoutLink } = vars;
    expect(() => templates.render('invitation', withoutLink)).toThrow(/link/);
  });

  it('keeps subjects on one line', () => {
    expect(templates.render('invitation', { ...vars, deploymentName: 'Evil\r\nBcc: x@example.org' }).subject).toBe(
      'Evil Bcc: x@example.org invites you to the patient app',
    );
  });

  it('gives no access to prototype properties', () => {
    const sneaky = Object.assign(Object.create({ deploymentName: 'from the prototype' }), {
      language: 'en',
      downloadUrl: 'u',
      link: 'l',
      expiresAt: 'e',
      intro: '',
      signOff: '',
    });
    expect(() => templates.render('invitation', sneaky)).toThrow();
  });

  it('formats expiry dates unambiguously, in the language and the time zone, the zone named', () => {
    const at = '2030-12-05T07:00:00.000Z';
    expect(formatExpiry(at)).toBe('5 December 2030 at 07:00 UTC');
    expect(formatExpiry(at, 'en', 'Europe/Berlin')).toBe('5 December 2030 at 08:00 CET');
    expect(formatExpiry(at, 'de', 'Europe/Berlin')).toBe('5. Dezember 2030 um 08:00 MEZ');
    expect(formatExpiry(at, 'fr', 'Europe/Paris')).toBe('5 décembre 2030 à 08:00 UTC+1');
    expect(formatExpiry(at, 'es', 'Europe/Madrid')).toBe('5 de diciembre de 2030 a las 8:00 CET');
  });
});
