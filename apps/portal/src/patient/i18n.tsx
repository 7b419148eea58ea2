import { createContext, Fragment, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { formatDateTime } from '../shared/api';
import { chooseLanguage, type MessageKey, PAGE_MESSAGES, type PageLanguage } from './languages';

/** "{name}" placeholders filled with text or with elements (a bold address, a <time>). */
export function fill(message: string, values: Record<string, ReactNode> = {}): ReactNode[] {
  return message
    .split(/\{(\w+)\}/)
    .map((part, i) => (i % 2 === 0 ? part : <Fragment key={i}>{values[part] ?? `{${part}}`}</Fragment>));
}

interface Deployment {
  language: string | null;
  timeZone: string | undefined;
}

interface Language {
  language: PageLanguage;
  /** For dates: the browser's own tag when it is in that language (en-US or en-GB), else the language. */
  locale: string;
  timeZone: string | undefined;
  setDeployment: (deployment: Deployment) => void;
}

const LanguageContext = createContext<Language>({
  language: 'en',
  locale: 'en',
  timeZone: undefined,
  setDeployment: () => undefined,
});

export function LanguageProvider({ children }: { children: ReactNode }) {
  const [deployment, setDeployment] = useState<Deployment>({ language: null, timeZone: undefined });
  const browser = typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]);
  const language = chooseLanguage(browser, deployment.language);
  const locale = browser.find((tag) => tag.toLowerCase().split('-')[0] === language) ?? language;
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const value = useMemo(
    () => ({ language, locale, timeZone: deployment.timeZone, setDeployment }),
    [language, locale, deployment.timeZone],
  );
  return <LanguageContext.Provider value={value}>{children}</LanguageContext.Provider>;
}

/** A page that knows its deployment passes on its language and time zone. */
export function useDeployment(language: string | undefined, timeZone: string | undefined) {
  const { setDeployment } = useContext(LanguageContext);
  useEffect(() => {
    if (language) setDeployment({ language, timeZone });
  }, [language, timeZone, setDeployment]);
}

/** The page's words: `t` for text, `rich` for text with elements in it, `date` in the language and the deployment's zone. */
export function useT() {
  const { language, locale, timeZone } = useContext(LanguageContext);
  const messages = PAGE_MESSAGES[language];
  const t = useCallback(
    (key: MessageKey, values: Record<string, string | number> = {}) =>
      messages[key].replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole)),
    [messages],
  );
  const rich = useCallback(
    (key: MessageKey, values: Record<string, ReactNode>) => fill(messages[key], values),
    [messages],
  );
  const date = useCallback((iso: string) => formatDateTime(iso, locale, timeZone), [locale, timeZone]);
  return { t, rich, date, language };
}
