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

  it('shows a dash for no date', () => {
    expect(formatDateTime(null)).toBe('—');
  });
});
