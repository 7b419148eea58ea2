import de from './locales/de.json';
import en from './locales/en.json';
import es from './locales/es.json';
import fr from './locales/fr.json';

export const PAGE_LANGUAGES = ['en', 'de', 'fr', 'es'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];
export type MessageKey = keyof typeof en;

/** One file per language; a test holds every file to English's keys and placeholders. */
export const PAGE_MESSAGES: Record<PageLanguage, Record<MessageKey, string>> = { en, de, fr, es };

const isPageLanguage = (value: string | null | undefined): value is PageLanguage =>
  (PAGE_LANGUAGES as readonly string[]).includes(value ?? '');

/**
 * The browser's first language the pages are written in; failing that, the deployment's (what its
 * emails are written in); failing that, English.
 */
export function chooseLanguage(browser: readonly string[], deployment: string | null): PageLanguage {
  for (const tag of browser) {
    const base = tag.toLowerCase().split('-')[0];
    if (isPageLanguage(base)) return base;
  }
  return isPageLanguage(deployment) ? deployment : 'en';
}
