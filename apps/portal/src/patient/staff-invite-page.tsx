import { type FormEvent, useState } from 'react';
import { formatDateTime, request } from '../shared/api';
import { FailurePage, Outcome } from './outcome-pages';
import { NewPasswordField } from './new-password-field';
import { usePublic, usePublicAction } from './use-public';

const WEAK = { weak_password: 'Choose a longer password that is not a common one (at least 10 characters).' };

/** A staff invitation's link: choose your name and password, and the Care Portal account exists. */
export function StaffInvitePage({ token }: { token: string }) {
  const invitation = usePublic<{ email: string; name: string | null; role: string; expiresAt: string }>(
    `/api/public/staff-invitations/${token}`,
  );
  const [name, setName] = useState<string | null>(null);
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const { busy, error, run } = usePublicAction(WEAK, setFailed);
  if (failed) return <FailurePage code={failed} />;
  if (invitation.state === 'loading') return <p role="status">Opening your invitation…</p>;
  if (invitation.state === 'failed') return <FailurePage code={invitation.code} />;
  if (done)
    return (
      <Outcome title="Your account is ready">
        <p>
          <a href="/">Sign in to the Care Portal</a> with {invitation.value.email} and the password you chose.
        </p>
      </Outcome>
    );
  const shownName = name ?? invitation.value.name ?? '';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(
      () =>
        request(`/api/public/staff-invitations/${token}/accept`, {
          method: 'POST',
          body: { ...(shownName.trim() ? { name: shownName } : {}), password },
        }),
      () => setDone(true),
    );
  };
  return (
    <section className="card" aria-labelledby="staff-invite-title">
      <h1 id="staff-invite-title">Join the Care Portal</h1>
      <p className="muted">
        {`You are invited as ${invitation.value.role} with ${invitation.value.email}. This invitation works until `}
        <time dateTime={invitation.value.expiresAt}>{formatDateTime(invitation.value.expiresAt)}</time>.
      </p>
      <form onSubmit={submit} noValidate>
        <label htmlFor="name">Your name</label>
        <input id="name" autoComplete="name" value={shownName} onChange={(e) => setName(e.target.value)} />
        <NewPasswordField label="Choose a password" value={password} onChange={setPassword} error={error} />
        <button type="submit" disabled={busy || !password}>
          {busy ? 'Creating…' : 'Create my account'}
        </button>
      </form>
    </section>
  );
}
