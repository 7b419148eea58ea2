import type { Clock } from '@app/clock';
import type { PasswordResets, StaffInvitations } from '@app/identity';
import type { InvitationTokens } from '@app/invitations';
import type { LinkRef, MailLinks } from '@app/notifications';

/** The links emails carry, rebuilt at send time by the context that holds their keys: invitations or identity. */
export function mailLinks(
  tokens: InvitationTokens,
  resets: PasswordResets,
  staff: StaffInvitations,
  clock: Clock,
): MailLinks {
  return {
    url: (ref: LinkRef) => {
      switch (ref.kind) {
        case 'invitation':
          return tokens.personalUrl(ref.id, ref.nonce);
        case 'invitation-link':
          return tokens.shareableUrl(ref.id, ref.nonce);
        case 'staff-password-reset':
          return resets.url('staff', ref.id, ref.nonce);
        case 'patient-password-reset':
          return resets.url('patient', ref.id, ref.nonce);
        case 'staff-invitation':
          return staff.url(ref.id, ref.nonce);
      }
    },
    isCurrent: (ref: LinkRef) => {
      switch (ref.kind) {
        case 'staff-password-reset':
          return resets.isCurrent('staff', ref.id, ref.nonce);
        case 'patient-password-reset':
          return resets.isCurrent('patient', ref.id, ref.nonce);
        case 'staff-invitation':
          return staff.isCurrent(ref.id, ref.nonce);
        default:
          return tokens.isLive(ref.id, ref.nonce, clock.now());
      }
    },
  };
}
