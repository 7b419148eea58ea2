import Handlebars from 'handlebars';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const TEMPLATES = [
  'invitation',
  'resend',
  'link-verification',
  'reminder',
  'already-registered',
  'password-reset',
  'staff-invitation',
] as const;
export type TemplateName = (typeof TEMPLATES)[number];

const SUBJECTS: Record<TemplateName, string> = {
  invitation: '{{deploymentName}} invites you to the patient app',
  resend: 'Your new invitation from {{deploymentName}}',
  'link-verification': 'Confirm your email address for {{deploymentName}}',
  reminder: 'Reminder: your invitation from {{deploymentName}} ends soon',
  'already-registered': 'You already have a patient app account',
  'password-reset': 'Reset your password',
  'staff-invitation': 'You are invited to the Care Portal',
};

export interface MailVariables {
  deploymentName: string;
  downloadUrl: string;
  /** The personal link: the only secret in any email. */
  link?: string;
  expiresAt?: string;
}

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

/** Files in the repository, found from the sources or from the compiled tree. */
const TEMPLATE_DIR = [
  join(__dirname, 'templates'),
  join(__dirname, '..', '..', '..', 'libs', 'notifications', 'templates'),
].find((dir) => existsSync(join(dir, 'invitation.html.hbs')));

/**
 * Handlebars templates compiled once, in strict mode (a missing variable is an error, not a blank),
 * HTML-escaped by default, with no prototype access. Plain-text parts and subjects are not HTML, so
 * they are not escaped; subjects lose control characters (no header injection).
 */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]+/g;

export class MailTemplates {
  private readonly compiled = new Map<
    TemplateName,
    { subject: HandlebarsTemplateDelegate; html: HandlebarsTemplateDelegate; text: HandlebarsTemplateDelegate }
  >();

  constructor(dir = TEMPLATE_DIR) {
    if (!dir) throw new Error('Mail templates not found (libs/notifications/templates)');
    const hb = Handlebars.create();
    hb.registerPartial('_layout', readFileSync(join(dir, '_layout.html.hbs'), 'utf8'));
    for (const name of TEMPLATES) {
      this.compiled.set(name, {
        subject: hb.compile(SUBJECTS[name], { strict: true, noEscape: true }),
        html: hb.compile(readFileSync(join(dir, `${name}.html.hbs`), 'utf8'), { strict: true }),
        text: hb.compile(readFileSync(join(dir, `${name}.text.hbs`), 'utf8'), { strict: true, noEscape: true }),
      });
    }
  }

  render(template: TemplateName, variables: MailVariables): RenderedMail {
    const parts = this.compiled.get(template)!;
    const runtime = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false };
    // A subject is one line: control characters (a line break injected through a name) become spaces.
    const subject = parts.subject(variables, runtime).replace(CONTROL_CHARACTERS, ' ').trim();
    return { subject, html: parts.html({ ...variables, subject }, runtime), text: parts.text(variables, runtime) };
  }
}

/** "5 December 2026 at 07:00 UTC": unambiguous for any reader. */
export function formatExpiry(iso: string): string {
  const format = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
  return `${format.format(new Date(iso))} UTC`;
}
