import { type FormEvent, useState } from 'react';
import { formatDateTime, request } from '../shared/api';
import { FailurePage, Outcome } from './outcome-pages';
import { usePublic, usePublicAction } from './use-public';

const INVALID_EMAIL = { invalid_email: 'That is not an email address. Check it and try again.' };

/** A shareable link: enter your email, and a personal link arrives there (the same answer whatever the address). */
export function JoinPage({ token }: { token: string }) {
  const link = usePublic<{ deploymentName: string; expiresAt: string }>(`/api/public/invitation-links/${token}`);
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const { busy, error, run } = usePublicAction(INVALID_EMAIL, setFailed);
  if (failed) return <FailurePage code={failed} />;
  if (link.state === 'loading') return <p role="status">Opening the sign-up page…</p>;
  if (link.state === 'failed') return <FailurePage code={link.code} />;
  if (sent) {
    return (
      <Outcome title="Check your inbox">
        <p>
          If <strong>{email}</strong> can join, an email with your personal link is on its way. Open it on this phone to
          create your account.
        </p>
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
      <h1 id="join-title">Join {link.value.deploymentName}</h1>
      <p className="muted">
        {'Enter your email address. We will send you a personal link to create your account. '}
        {'This sign-up link works until '}
        <time dateTime={link.value.expiresAt}>{formatDateTime(link.value.expiresAt)}</time>.
      </p>
      <form onSubmit={submit} noValidate>
        <label htmlFor="email">Your email address</label>
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
          {busy ? 'Sending…' : 'Send me my link'}
        </button>
      </form>
    </section>
  );
}
