import { type FormEvent, useState } from 'react';
import { request } from '../shared/api';
import { useT } from './i18n';
import { FailurePage, Outcome } from './outcome-pages';
import { NewPasswordField } from './new-password-field';
import { usePublicAction } from './use-public';

/** Forgotten password, for staff and patients: the same answer whatever the address. */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const { t, rich } = useT();
  const { busy, run } = usePublicAction({}, setFailed);
  if (failed) return <FailurePage code={failed} />;
  if (sent)
    return (
      <Outcome title={t('common.checkInbox')}>
        <p>{rich('forgot.sent.text', { email: <strong>{email}</strong> })}</p>
      </Outcome>
    );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(
      () => request('/api/public/password-reset', { method: 'POST', body: { email } }),
      () => setSent(true),
    );
  };
  return (
    <section className="card" aria-labelledby="forgot-title">
      <h1 id="forgot-title">{t('forgot.title')}</h1>
      <p className="muted">{t('forgot.intro')}</p>
      <form onSubmit={submit} noValidate>
        <label htmlFor="email">{t('common.email')}</label>
        <input id="email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />
        <button type="submit" disabled={busy || !email.trim()}>
          {busy ? t('common.sending') : t('forgot.submit')}
        </button>
      </form>
    </section>
  );
}

/** The emailed link: a new password, once. */
export function ResetPasswordPage({ token }: { token: string }) {
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const { t } = useT();
  const { busy, error, run } = usePublicAction({ weak_password: t('reset.weak') }, setFailed);
  if (failed) return <FailurePage code={failed} />;
  if (done)
    return (
      <Outcome title={t('reset.done.title')}>
        <p>{t('reset.done.text')}</p>
      </Outcome>
    );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(
      () => request(`/api/public/password-reset/${token}`, { method: 'POST', body: { password } }),
      () => setDone(true),
    );
  };
  return (
    <section className="card" aria-labelledby="reset-title">
      <h1 id="reset-title">{t('reset.title')}</h1>
      <form onSubmit={submit} noValidate>
        <NewPasswordField label={t('reset.password')} value={password} onChange={setPassword} error={error} />
        <button type="submit" disabled={busy || !password}>
          {busy ? t('reset.saving') : t('reset.submit')}
        </button>
      </form>
    </section>
  );
}
