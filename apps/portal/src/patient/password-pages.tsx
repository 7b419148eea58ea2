import { type FormEvent, useState } from 'react';
import { request } from '../shared/api';
import { FailurePage, Outcome } from './outcome-pages';
import { NewPasswordField } from './new-password-field';
import { usePublicAction } from './use-public';

const WEAK = { weak_password: 'Choose a longer password that is not a common one (at least 10 characters).' };

/** Forgotten password, for staff and patients: the same answer whatever the address. */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const { busy, run } = usePublicAction({}, setFailed);
  if (failed) return <FailurePage code={failed} />;
  if (sent)
    return (
      <Outcome title="Check your inbox">
        <p>
          If <strong>{email}</strong> has an account, an email with a link to set a new password is on its way. The link
          works once, for an hour.
        </p>
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
      <h1 id="forgot-title">Forgot your password?</h1>
      <p className="muted">Enter your email address. We will send you a link to set a new password.</p>
      <form onSubmit={submit} noValidate>
        <label htmlFor="email">Your email address</label>
        <input id="email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />
        <button type="submit" disabled={busy || !email.trim()}>
          {busy ? 'Sending…' : 'Send me a link'}
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
  const { busy, error, run } = usePublicAction(WEAK, setFailed);
  if (failed) return <FailurePage code={failed} />;
  if (done)
    return (
      <Outcome title="Your password is set">
        <p>Sign in with your new password. You were signed out everywhere else.</p>
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
      <h1 id="reset-title">Set a new password</h1>
      <form onSubmit={submit} noValidate>
        <NewPasswordField label="New password" value={password} onChange={setPassword} error={error} />
        <button type="submit" disabled={busy || !password}>
          {busy ? 'Saving…' : 'Set password'}
        </button>
      </form>
    </section>
  );
}
