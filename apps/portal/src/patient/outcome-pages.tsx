import type { ReactNode } from 'react';

export function Outcome({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="card" aria-labelledby="outcome-title">
      <h1 id="outcome-title">{title}</h1>
      {children}
    </section>
  );
}

/** One clear page per way a link can fail, in the words of API.md's failure codes. */
const FAILURES: Record<string, { title: string; text: string }> = {
  invitation_expired: { title: 'This invitation has expired', text: 'Ask your care team for a new invitation.' },
  invitation_revoked: {
    title: 'This invitation was withdrawn',
    text:
      'Your care team deleted this invitation, so the link no longer works. ' +
      'Ask them if you think this is a mistake.',
  },
  invitation_already_redeemed: {
    title: 'This invitation has already been used',
    text: 'Your account exists. Open the app and sign in.',
  },
  invitation_superseded: {
    title: 'A newer invitation was sent to you',
    text: 'Use the link in the newest email from your care team; this one no longer works.',
  },
  link_expired: { title: 'This sign-up link has expired', text: 'Ask your care team for a new link.' },
  link_revoked: { title: 'This sign-up link was withdrawn', text: 'Ask your care team for a new link.' },
  rate_limited: { title: 'Too many attempts', text: 'Please wait a minute and try again.' },
  invalid_reset_link: {
    title: 'This link no longer works',
    text: 'It was used already, or a newer one was sent. Ask for a new link from the sign-in page.',
  },
  reset_link_expired: { title: 'This link has expired', text: 'Ask for a new link from the sign-in page.' },
  staff_invitation_used: { title: 'This invitation was used already', text: 'Sign in to the Care Portal instead.' },
  staff_invitation_expired: {
    title: 'This invitation has expired',
    text: 'Ask whoever invited you to send a new one.',
  },
  network_error: { title: 'We could not reach the service', text: 'Check your connection and open the link again.' },
};

export function FailurePage({ code }: { code: string }) {
  const failure = FAILURES[code];
  if (!failure) return <NotFoundPage />;
  return (
    <Outcome title={failure.title}>
      <p>{failure.text}</p>
    </Outcome>
  );
}

export function NotFoundPage() {
  return (
    <Outcome title="We do not recognise this link">
      <p>
        Check that you opened the whole link from your email. If it still does not work, ask your care team for a new
        invitation.
      </p>
    </Outcome>
  );
}
