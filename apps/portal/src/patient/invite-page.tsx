import { type FormEvent, useState } from 'react';
import { MIN_PASSWORD_LENGTH, request } from '../shared/api';
import { useDeployment, useT } from './i18n';
import { FailurePage, Outcome } from './outcome-pages';
import { usePublic, usePublicAction } from './use-public';

interface Invitation {
  status: 'pending';
  deploymentName: string;
  language: string;
  timeZone: string;
  email: string;
  expiresAt: string;
}

/** A personal link: who invited you and until when, then two steps: get the app, create the account. */
export function InvitePage({ token }: { token: string }) {
  const invitation = usePublic<Invitation>(`/api/public/invitations/${token}`);
  const config = usePublic<{ downloadUrl: string }>('/api/public/config');
  const [done, setDone] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const { t, rich, date } = useT();
  const ready = invitation.state === 'ready' ? invitation.value : null;
  useDeployment(ready?.language, ready?.timeZone);
  if (failed) return <FailurePage code={failed} />;
  if (invitation.state === 'loading') return <p role="status">{t('invite.opening')}</p>;
  if (invitation.state === 'failed') return <FailurePage code={invitation.code} />;
  const { deploymentName, email, expiresAt } = invitation.value;
  if (done) {
    return (
      <Outcome title={t('invite.ready')}>
        <p>{rich('invite.signIn', { email: <strong>{email}</strong> })}</p>
      </Outcome>
    );
  }
  const downloadUrl = config.state === 'ready' ? config.value.downloadUrl : '/download';
  return (
    <section className="card" aria-labelledby="invite-title">
      <h1 id="invite-title">{t('invite.title', { deploymentName })}</h1>
      <p className="muted">
        {rich('invite.forUntil', {
          email: <strong>{email}</strong>,
          expiresAt: <time dateTime={expiresAt}>{date(expiresAt)}</time>,
        })}
      </p>
      <ol className="steps">
        <li>
          <h2>{t('invite.download')}</h2>
          <p>
            <a className="button secondary" href={downloadUrl} rel="noreferrer">
              {t('invite.getApp')}
            </a>
          </p>
        </li>
        <li>
          <h2>{t('invite.create')}</h2>
          <CreateAccount token={token} onCreated={() => setDone(true)} onFailed={setFailed} />
        </li>
      </ol>
    </section>
  );
}

function CreateAccount({
  token,
  onCreated,
  onFailed,
}: {
  token: string;
  onCreated: () => void;
  onFailed: (code: string) => void;
}) {
  const [password, setPassword] = useState('');
  const { t } = useT();
  const { busy, error, run } = usePublicAction({ weak_password: t('password.weak') }, onFailed);
  const longEnough = password.length >= MIN_PASSWORD_LENGTH;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!longEnough) return;
    void run(
      () => request(`/api/public/invitations/${token}/accept`, { method: 'POST', body: { password } }),
      onCreated,
    );
  };
  return (
    <form onSubmit={submit} noValidate>
      <label htmlFor="password">{t('invite.choosePassword')}</label>
      <input
        id="password"
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        aria-describedby="password-rules password-error"
        aria-invalid={error ? true : undefined}
      />
      <ul id="password-rules" className="rules" aria-live="polite">
        <li className={longEnough ? 'met' : 'unmet'}>
          <span aria-hidden="true">{longEnough ? '✓' : '•'}</span>{' '}
          {t('invite.rule.length', { count: MIN_PASSWORD_LENGTH })}{' '}
          {longEnough ? t('invite.rule.done') : t('invite.rule.soFar', { count: password.length })}
        </li>
        <li className="unmet">
          <span aria-hidden="true">•</span> {t('invite.rule.common')}
        </li>
      </ul>
      <p id="password-error" className="error" role="alert">
        {error}
      </p>
      <button type="submit" disabled={!longEnough || busy}>
        {busy ? t('invite.creating') : t('invite.submit')}
      </button>
    </form>
  );
}
