import { useState } from 'react';
import { DownloadPage } from './download-page';
import { LanguageProvider } from './i18n';
import { InvitePage } from './invite-page';
import { JoinPage } from './join-page';
import { NotFoundPage } from './outcome-pages';
import { ForgotPasswordPage, ResetPasswordPage } from './password-pages';
import { StaffInvitePage } from './staff-invite-page';

type Route =
  | { page: 'invite' | 'join' | 'reset-password' | 'staff-invite'; token: string }
  | { page: 'download' | 'forgot-password' }
  | { page: 'unknown' };

function route(path: string): Route {
  const match = /^\/(invite|join|reset-password|staff-invite)\/([A-Za-z0-9_.-]{1,200})\/?$/.exec(path);
  if (match) return { page: match[1] as 'invite' | 'join' | 'reset-password' | 'staff-invite', token: match[2] };
  if (/^\/download\/?$/.test(path)) return { page: 'download' };
  if (/^\/forgot-password\/?$/.test(path)) return { page: 'forgot-password' };
  return { page: 'unknown' };
}

/**
 * The pages a patient reaches from an email or a shared link. The token is read once and then taken
 * out of the address bar, so it is not left in history, screenshots or a shoulder-surfer's view.
 */
export function PatientApp() {
  const [current] = useState<Route>(() => {
    const found = route(window.location.pathname);
    if ('token' in found) window.history.replaceState(null, '', `/${found.page}`);
    return found;
  });
  return (
    <LanguageProvider>
      <main className="page">
        {current.page === 'invite' && <InvitePage token={current.token} />}
        {current.page === 'join' && <JoinPage token={current.token} />}
        {current.page === 'download' && <DownloadPage />}
        {current.page === 'reset-password' && <ResetPasswordPage token={current.token} />}
        {current.page === 'forgot-password' && <ForgotPasswordPage />}
        {current.page === 'staff-invite' && <StaffInvitePage token={current.token} />}
        {current.page === 'unknown' && <NotFoundPage />}
      </main>
    </LanguageProvider>
  );
}
