import { type FormEvent, useState } from 'react';
import { formatDateTime, MIN_PASSWORD_LENGTH, request } from '../shared/api';
import { FailurePage, Outcome } from './outcome-pages';
import { usePublic, usePublicAction } from './use-public';

const WEAK_PASSWORD = { weak_password: 'This password is too common. Choose one that is harder to guess.' };

interface Invitation {
  status: 'pending';
  deploymentName: string;
  email: string;
  expiresAt: string;
}

/** A personal link: who invited you and until when, then two steps: get the app, create the account. */
export function InvitePage({ token }: { token: string }) {
  const invitation = usePublic<Invitation>(`/api/public/invitations/${token}`);
  const config = usePublic<{ downloadUrl: string }>('/api/public/config');
  const [done, setDone] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  if (failed) return <FailurePage code={failed} />;
  if (invitation.state === 'loading') return <p role="status">Opening your invitation…</p>;
  if (invitation.state === 'failed') return <FailurePage code={invitation.code} />;
  const { deploymentName, email, expiresAt } = invitation.value;
  if (done) {
    return (
      <Outcome title="Your account is ready">
        <p>
          Open the patient app and sign in with <strong>{email}</strong> and the password you just chose.
        </p>
      </Outcome>
    );
  }
  const downloadUrl = config.state === 'ready' ? config.value.downloadUrl : '/download';
  return (
    <section className="card" aria-labelledby="invite-title">
      <h1 id="invite-title">{deploymentName} invites you to the patient app</h1>
      <p className="muted">
        This invitation is for <strong>{email}</strong> and works until{' '}
        <time dateTime={expiresAt}>{formatDateTime(expiresAt)}</time>.
      </p>
      <ol className="steps">
        <li>
          <h2>Download the app</h2>
          <p>
            <a className="button secondary" href={downloadUrl} rel="noreferrer">
              Get the patient app
            </a>
          </p>
        </li>
        <li>
          <h2>Create your account</h2>
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
  const { busy, error, run } = usePublicAction(WEAK_PASSWORD, onFailed);
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
      <label htmlFor="password">Choose a password</label>
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
          <span aria-hidden="true">{longEnough ? '✓' : '•'}</span> At least {MIN_PASSWORD_LENGTH} characters{' '}
          {longEnough ? '(done)' : `(${password.length} so far)`}
        </li>
        <li className="unmet">
          <span aria-hidden="true">•</span> Not a commonly used password (checked when you create the account)
        </li>
      </ul>
      <p id="password-error" className="error" role="alert">
        {error}
      </p>
      <button type="submit" disabled={!longEnough || busy}>
        {busy ? 'Creating your account…' : 'Create account'}
      </button>
    </form>
  );
}
