import Handlebars from 'handlebars';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Language, LANGUAGES } from '@app/identity';
import type { MailDeployment } from './mail-transport';

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

export interface MailVariables {
  language: Language;
  deploymentName: string;
  downloadUrl: string;
  /** The personal link: the only secret in any email. */
  link?: string;
  /** Already formatted for the language and the deployment's time zone (see `formatExpiry`). */
  expiresAt?: string;
  /** The deployment's own opening paragraph and sign-off: plain text, '' for none. */
  intro: string;
  signOff: string;
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

export type Messages = Record<string, string>;

/** Each language's messages, one JSON file per language (`templates/locales/<language>.json`). */
export function loadMessages(dir = TEMPLATE_DIR): Record<Language, Messages> {
  if (!dir) throw new Error('Mail templates not found (libs/notifications/templates)');
  return Object.fromEntries(
    LANGUAGES.map((language) => [
      language,
      JSON.parse(readFileSync(join(dir, 'locales', `${language}.json`), 'utf8')) as Messages,
    ]),
  ) as Record<Language, Messages>;
}

/** "{name}" placeholders filled from `values`; a message or a value that is missing is an error, not a blank. */
export function translate(messages: Messages, key: string, values: object = {}): string {
  const message = messages[key];
  if (message === undefined) throw new Error(`No message "${key}"`);
  return message.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!Object.prototype.hasOwnProperty.call(values, name)) throw new Error(`Message "${key}" needs {${name}}`);
    return String((values as Record<string, unknown>)[name]);
  });
}

/**
 * Handlebars templates compiled once, in strict mode (a missing variable is an error, not a blank),
 * HTML-escaped by default, with no prototype access. Their words come from the language's messages
 * (`{{t "key" name=value}}`). Plain-text parts and subjects are not HTML, so they are not escaped;
 * subjects lose control characters (no header injection).
 */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]+/g;

interface Compiled {
  html: HandlebarsTemplateDelegate;
  text: HandlebarsTemplateDelegate;
}

export class MailTemplates {
  private readonly compiled = new Map<TemplateName, Compiled>();
  readonly messages: Record<Language, Messages>;

  constructor(dir = TEMPLATE_DIR) {
    if (!dir) throw new Error('Mail templates not found (libs/notifications/templates)');
    this.messages = loadMessages(dir);
    const html = this.handlebars(dir, 'html');
    const text = this.handlebars(dir, 'text');
    for (const name of TEMPLATES) {
      this.compiled.set(name, {
        html: html.compile(readFileSync(join(dir, `${name}.html.hbs`), 'utf8'), { strict: true }),
        text: text.compile(readFileSync(join(dir, `${name}.text.hbs`), 'utf8'), { strict: true, noEscape: true }),
      });
    }
  }

  render(template: TemplateName, variables: MailVariables): RenderedMail {
    const parts = this.compiled.get(template)!;
    const runtime = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false };
    const messages = this.messages[variables.language];
    if (!messages) throw new Error(`No messages in ${String(variables.language)}`);
    // A subject is one line: control characters (a line break injected through a name) become spaces.
    const subject = translate(messages, `${template}.subject`, variables).replace(CONTROL_CHARACTERS, ' ').trim();
    return {
      subject,
      html: parts.html({ ...variables, subject }, runtime),
      text: parts.text(variables, runtime),
    };
  }

  /** One Handlebars environment per kind of part: its partials, `t` for messages, `lines` for the deployment's texts. */
  private handlebars(dir: string, kind: 'html' | 'text'): typeof Handlebars {
    const hb = Handlebars.create();
    const partials = kind === 'html' ? ['_layout', '_steps'] : ['_steps', '_opening', '_closing'];
    for (const partial of partials) {
      const file = partial === '_layout' ? '_layout.html.hbs' : `${partial}.${kind}.hbs`;
      hb.registerPartial(partial, readFileSync(join(dir, file), 'utf8'));
    }
    const messages = this.messages;
    hb.registerHelper('t', function (key: string, options: Handlebars.HelperOptions) {
      const root = options.data.root as MailVariables;
      return translate(messages[root.language], key, options.hash as object);
    });
    // Plain text in HTML: escaped, its line breaks kept.
    hb.registerHelper('lines', (value: string) => {
      const escaped = String(value)
        .split('\n')
        .map((line) => hb.escapeExpression(line));
      return new hb.SafeString(escaped.join('<br>'));
    });
    return hb;
  }
}

/** "5 December 2026 at 08:00 CET": the language's long date and time, in the deployment's zone, the zone named. */
export function formatExpiry(iso: string, language: Language = 'en', timeZone = 'UTC'): string {
  const { dateTime, zoneName } = expiryFormats(language === 'en' ? 'en-GB' : language, timeZone);
  const at = new Date(iso);
  const zone = zoneName.formatToParts(at).find((part) => part.type === 'timeZoneName')?.value;
  return `${dateTime.format(at)} ${zone ?? timeZone}`;
}

/**
 * Formatters by language and zone, made once: making an Intl.DateTimeFormat costs about a hundred
 * times what formatting with it does, and a batch of 1,000 emails formats 1,000 expiries. Few
 * languages and zones are ever in use; the bound only keeps a flood of odd zones from growing it.
 */
const formats = new Map<string, { dateTime: Intl.DateTimeFormat; zoneName: Intl.DateTimeFormat }>();
function expiryFormats(locale: string, timeZone: string) {
  const key = `${locale} ${timeZone}`;
  let found = formats.get(key);
  if (!found) {
    if (formats.size >= 200) formats.clear();
    found = {
      dateTime: new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone }),
      zoneName: new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' }),
    };
    formats.set(key, found);
  }
  return found;
}

/** What a template needs from the deployment an email is sent for, the link and the expiry it carries. */
export function variablesFor(
  deployment: MailDeployment,
  downloadUrl: string,
  link?: string,
  expiresAt?: string,
): MailVariables {
  return {
    language: deployment.language,
    deploymentName: deployment.name,
    downloadUrl,
    intro: deployment.intro,
    signOff: deployment.signOff,
    ...(link === undefined ? {} : { link }),
    ...(expiresAt === undefined ? {} : { expiresAt }),
  };
}
