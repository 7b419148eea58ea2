import type { ReactNode } from 'react';
import { useT } from './i18n';

export function Outcome({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="card" aria-labelledby="outcome-title">
      <h1 id="outcome-title">{title}</h1>
      {children}
    </section>
  );
}

/** One clear page per way a link can fail, in the words of API.md's failure codes. */
const FAILURES = [
  'invitation_expired',
  'invitation_revoked',
  'invitation_already_redeemed',
  'invitation_superseded',
  'link_expired',
  'link_revoked',
  'rate_limited',
  'invalid_reset_link',
  'reset_link_expired',
  'staff_invitation_used',
  'staff_invitation_expired',
  'network_error',
] as const;
type Failure = (typeof FAILURES)[number];

export function FailurePage({ code }: { code: string }) {
  const { t } = useT();
  if (!(FAILURES as readonly string[]).includes(code)) return <NotFoundPage />;
  const failure = code as Failure;
  return (
    <Outcome title={t(`failure.${failure}.title`)}>
      <p>{t(`failure.${failure}.text`)}</p>
    </Outcome>
  );
}

export function NotFoundPage() {
  const { t } = useT();
  return (
    <Outcome title={t('notFound.title')}>
      <p>{t('notFound.text')}</p>
    </Outcome>
  );
}
