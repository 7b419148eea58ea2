import { EmailAddress } from '@app/email-address';
import { type ExpiryWindowName, isExpiryWindowName } from '@app/link-tokens';
import { IdentityError } from './identity-error';
import type { IdentityEvent } from './identity-events';

/** The languages every email and patient page is written in. */
export const LANGUAGES = ['en', 'de', 'fr', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

/** How a deployment talks to its patients: language, time zone, sender, defaults, its emails' own words. */
export type DeploymentSettings = {
  language: Language;
  /** An IANA name: dates in emails and pages are shown in it. */
  timeZone: string;
  /** The display name emails come from (the address stays the service's own); null: the service's name. */
  senderName: string | null;
  /** Where patients' replies go; null: no Reply-To. */
  replyTo: string | null;
  /** The expiry window invitations and links get when staff choose none. */
  defaultExpiresIn: ExpiryWindowName;
  /** Personal email invitations get a reminder 24 h before they expire (never 24-hour ones). */
  remindPersonalInvitations: boolean;
  /** A short paragraph of plain text opening the deployment's emails, after the greeting. */
  emailIntro: string | null;
  /** Plain text closing the deployment's emails. */
  emailSignOff: string | null;
  /**
   * Days a redeemed, revoked or expired invitation keeps the patient's address, counted from when it
   * ended; then a job shreds it (docs/compliance.md). null: kept until the patient is erased.
   */
  personalDataRetentionDays: number | null;
};

export const DEFAULT_DEPLOYMENT_SETTINGS: DeploymentSettings = {
  language: 'en',
  timeZone: 'UTC',
  senderName: null,
  replyTo: null,
  defaultExpiresIn: '7d',
  remindPersonalInvitations: true,
  emailIntro: null,
  emailSignOff: null,
  personalDataRetentionDays: null,
};

export const SETTING_LIMITS = { senderName: 100, emailIntro: 500, emailSignOff: 200 } as const;

/** Ten years: the longest retention a deployment may set (longer is "keep": null). */
export const RETENTION_DAYS_MAX = 3650;

export type DeploymentSettingsChange = Partial<DeploymentSettings>;

/**
 * A change of some settings: each value checked, only what differs recorded (a change to the same
 * values records nothing). Texts are plain: escaped where they are shown, never markup.
 */
export function changeDeploymentSettings(
  deploymentId: string,
  current: DeploymentSettings,
  change: DeploymentSettingsChange,
): IdentityEvent[] {
  const checked = checkSettings(change);
  const changed: DeploymentSettingsChange = Object.fromEntries(
    Object.entries(checked).filter(([key, value]) => current[key as keyof DeploymentSettings] !== value),
  );
  if (!Object.keys(changed).length) return [];
  return [{ type: 'DeploymentSettingsChanged', data: { deploymentId, changes: changed } }];
}

function checkSettings(change: DeploymentSettingsChange): DeploymentSettingsChange {
  const checked: DeploymentSettingsChange = {};
  if (change.language !== undefined) {
    if (!(LANGUAGES as readonly string[]).includes(change.language)) invalid('language', 'is not en, de, fr or es');
    checked.language = change.language;
  }
  if (change.timeZone !== undefined) {
    checked.timeZone = canonicalTimeZone(change.timeZone);
  }
  if (change.defaultExpiresIn !== undefined) {
    if (!isExpiryWindowName(change.defaultExpiresIn)) invalid('defaultExpiresIn', 'is not 24h, 48h, 7d or 1y');
    checked.defaultExpiresIn = change.defaultExpiresIn;
  }
  if (change.remindPersonalInvitations !== undefined) {
    if (typeof change.remindPersonalInvitations !== 'boolean')
      invalid('remindPersonalInvitations', 'is not true or false');
    checked.remindPersonalInvitations = change.remindPersonalInvitations;
  }
  if (change.replyTo !== undefined) {
    const address = change.replyTo === null || change.replyTo.trim() === '' ? null : EmailAddress.check(change.replyTo);
    if (typeof address === 'string') invalid('replyTo', 'is not an email address');
    checked.replyTo = address?.value ?? null;
  }
  if (change.personalDataRetentionDays !== undefined) {
    const days = change.personalDataRetentionDays;
    if (days !== null && (!Number.isInteger(days) || days < 1 || days > RETENTION_DAYS_MAX))
      invalid('personalDataRetentionDays', `is not a whole number of days from 1 to ${RETENTION_DAYS_MAX}`);
    checked.personalDataRetentionDays = days;
  }
  if (change.senderName !== undefined) checked.senderName = plainText('senderName', change.senderName, true);
  if (change.emailIntro !== undefined) checked.emailIntro = plainText('emailIntro', change.emailIntro, false);
  if (change.emailSignOff !== undefined) checked.emailSignOff = plainText('emailSignOff', change.emailSignOff, false);
  return checked;
}

/** Trimmed plain text within its limit; empty means none. A one-line field takes no line breaks. */
function plainText(field: keyof typeof SETTING_LIMITS, value: string | null, oneLine: boolean): string | null {
  if (value === null) return null;
  if (typeof value !== 'string') invalid(field, 'is not text');
  const text = value.replace(/\r\n?/g, '\n').trim();
  if (!text) return null;
  if (text.length > SETTING_LIMITS[field]) invalid(field, `is longer than ${SETTING_LIMITS[field]} characters`);
  // eslint-disable-next-line no-control-regex
  const control = oneLine ? /[\u0000-\u001f\u007f]/ : /[\u0000-\u0009\u000b-\u001f\u007f]/;
  if (control.test(text))
    invalid(field, oneLine ? 'holds a line break or control character' : 'holds a control character');
  return text;
}

/** The zone's canonical IANA name ("europe/berlin" → "Europe/Berlin"); an unknown name is refused. */
function canonicalTimeZone(name: string): string {
  try {
    if (typeof name !== 'string' || !name.trim()) throw new RangeError(name);
    return new Intl.DateTimeFormat('en', { timeZone: name.trim() }).resolvedOptions().timeZone;
  } catch {
    return invalid('timeZone', 'is not an IANA time zone name (for example Europe/Berlin)');
  }
}

const SETTING_NAMES: Record<keyof DeploymentSettings, string> = {
  language: 'The language',
  timeZone: 'The time zone',
  senderName: 'The sender name',
  replyTo: 'The reply-to address',
  defaultExpiresIn: 'The default expiry',
  remindPersonalInvitations: 'The personal reminders setting',
  emailIntro: 'The opening paragraph',
  emailSignOff: 'The sign-off',
  personalDataRetentionDays: 'The personal data retention',
};

function invalid(field: keyof DeploymentSettings, reason: string): never {
  throw new IdentityError('invalid_settings', `${SETTING_NAMES[field]} ${reason}.`, field);
}
