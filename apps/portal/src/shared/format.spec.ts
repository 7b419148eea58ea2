import { formatDateTime } from './api';

describe('dates as people read them', () => {
  it.each(['en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES'])('match Intl for %s, in the local time zone', (locale) => {
    const intl = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    for (const iso of [
      '2026-12-08T23:43:00.000Z',
      '2027-01-01T00:05:00.000Z',
      '2026-06-15T12:00:00.000Z',
      '2026-03-09T07:09:00.000Z',
    ]) {
      expect(formatDateTime(iso, locale)).toBe(
        intl
          .formatToParts(new Date(iso))
          .map((p) => p.value)
          .join(''),
      );
    }
  });

  it.each([
    ['Europe/Berlin', 'de-DE'],
    ['America/New_York', 'en-US'],
    ['Asia/Kolkata', 'en-GB'],
    ['Australia/Lord_Howe', 'en-GB'],
    ['UTC', 'fr-FR'],
  ])('match Intl in a named time zone (%s), across its clock changes', (timeZone, locale) => {
    const intl = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone });
    const start = Date.parse('2026-01-01T00:00:00Z');
    // Every 37 minutes through a year: both clock changes, and the hours around them.
    for (let at = start; at < start + 366 * 86_400_000; at += 37 * 60_000) {
      const iso = new Date(at).toISOString();
      const expected = intl
        .formatToParts(at)
        .map((p) => p.value)
        .join('');
      expect([iso, formatDateTime(iso, locale, timeZone)]).toEqual([iso, expected]);
    }
  });

  it('shows a dash for no date', () => {
    expect(formatDateTime(null)).toBe('—');
  });
});
