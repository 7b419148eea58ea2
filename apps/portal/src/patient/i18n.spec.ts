import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chooseLanguage, PAGE_LANGUAGES, PAGE_MESSAGES } from './languages';

/** Read as plain files: a missing or extra key is what these tests are for, so no key type is assumed. */
const messages = PAGE_MESSAGES as Record<string, Record<string, string>>;
const english = Object.keys(messages.en).sort();
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('patient page languages', () => {
  it.each(PAGE_LANGUAGES)('%s has every message English has, and no other, none empty', (language) => {
    expect(Object.keys(messages[language]).sort()).toEqual(english);
    for (const key of english) expect([key, messages[language][key].trim() !== '']).toEqual([key, true]);
  });

  it.each(PAGE_LANGUAGES)('%s fills the same placeholders as English', (language) => {
    for (const key of english)
      expect([key, placeholders(messages[language][key])]).toEqual([key, placeholders(messages.en[key])]);
  });

  it('has a message for every key the pages ask for (t, rich and the failure pages)', () => {
    const sources = readdirSync(__dirname)
      .filter((file) => file.endsWith('.tsx'))
      .map((file) => readFileSync(join(__dirname, file), 'utf8'))
      .join('\n');
    const asked = [...sources.matchAll(/\b(?:t|rich)\('([\w.]+)'/g)].map((m) => m[1]);
    const failures = /const FAILURES = \[([^\]]+)\]/
      .exec(sources)![1]
      .match(/'(\w+)'/g)!
      .map((q) => q.slice(1, -1));
    const keys = [...asked, ...failures.flatMap((code) => [`failure.${code}.title`, `failure.${code}.text`])];
    expect(asked.length).toBeGreaterThan(30);
    expect(keys.filter((key) => !english.includes(key))).toEqual([]);
  });

  it.each([
    [['de-DE', 'en'], 'fr', 'de'],
    [['it-IT', 'es-ES'], 'de', 'es'],
    [['it-IT'], 'fr', 'fr'],
    [['it-IT'], null, 'en'],
    [[], 'de', 'de'],
    [['EN-gb'], 'de', 'en'],
  ])(
    "takes the browser's first language the pages have (%j), else the deployment's (%s)",
    (browser, deployment, chosen) => {
      expect(chooseLanguage(browser, deployment)).toBe(chosen);
    },
  );
});
