import { type FormEvent, useState } from 'react';
import { request } from '../shared/api';
import { useDeployment, useT } from './i18n';
import { FailurePage, Outcome } from './outcome-pages';
import { usePublic, usePublicAction } from './use-public';

interface Link {
  deploymentName: string;
  language: string;
  timeZone: string;
  expiresAt: string;
}

/** A shareable link: enter your email, and a personal link arrives there (the same answer whatever the address). */
export function JoinPage({ token }: { token: string }) {
  const link = usePublic<Link>(`/api/public/invitation-links/${token}`);
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const { t, rich, date } = useT();
  const { busy, error, run } = usePublicAction({ invalid_email: t('join.invalidEmail') }, setFailed);
  const ready = link.state === 'ready' ? link.value : null;
  useDeployment(ready?.language, ready?.timeZone);
  if (failed) return <FailurePage code={failed} />;
  if (link.state === 'loading') return <p role="status">{t('join.opening')}</p>;
  if (link.state === 'failed') return <FailurePage code={link.code} />;
  if (sent) {
    return (
      <Outcome title={t('common.checkInbox')}>
        <p>{rich('join.sent.text', { email: <strong>{email}</strong> })}</p>
      </Outcome>
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(
      () => request(`/api/public/invitation-links/${token}/sign-up`, { method: 'POST', body: { email } }),
      () => setSent(true),
    );
  };
  return (
    <section className="card" aria-labelledby="join-title">
      <h1 id="join-title">{t('join.title', { deploymentName: link.value.deploymentName })}</h1>
      <p className="muted">
        {rich('join.intro', {
          expiresAt: <time dateTime={link.value.expiresAt}>{date(link.value.expiresAt)}</time>,
        })}
      </p>
      <form onSubmit={submit} noValidate>
        <label htmlFor="email">{t('common.email')}</label>
        <input
          id="email"
          type="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          aria-describedby="email-error"
          aria-invalid={error ? true : undefined}
        />
        <p id="email-error" className="error" role="alert">
          {error}
        </p>
        <button type="submit" disabled={busy || !email.trim()}>
          {busy ? t('common.sending') : t('join.submit')}
        </button>
      </form>
    </section>
  );
}
