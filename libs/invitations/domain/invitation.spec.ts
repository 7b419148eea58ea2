import { specification } from '@app/event-store/testing/given-when-then';
import { ExpiryWindow } from './expiry-window';
import type { InvitationEvent } from './invitation-events';
import {
  checkRedeemable,
  effectiveStatus,
  evolveInvitation,
  expire,
  type Invitation,
  issue,
  markReminderDue,
  redeem,
  removePersonalData,
  requestEmailAgain,
  resend,
  revoke,
} from './invitation';

const ID = '7e1b0c8a-3d7e-4f6a-9a43-3b3c1c0e9f10';
const T0 = new Date('2030-01-01T00:00:00.000Z');
const hours = (h: number) => new Date(T0.getTime() + h * 3600_000);
const given = specification<Invitation>(evolveInvitation, { stream: `invitation-${ID}`, start: T0 });

const issued = (window = '7d'): InvitationEvent => ({
  type: 'InvitationIssued',
  data: {
    invitationId: ID,
    deploymentId: 'd1',
    email: 'p@example.org',
    channel: 'email',
    linkId: null,
    expiresAt: ExpiryWindow.parse(window).from(T0).toISOString(),
    expiresIn: window,
    nonce: 'n1',
  },
});
const resent = (nonce: string, at: Date, window = '7d') => ({
  event: {
    type: 'InvitationResent',
    data: { invitationId: ID, expiresAt: ExpiryWindow.parse(window).from(at).toISOString(), expiresIn: window, nonce },
  } satisfies InvitationEvent,
  at,
});
const redeemed = (): InvitationEvent => ({ type: 'InvitationRedeemed', data: { invitationId: ID, patientId: 'p1' } });
const revoked = (): InvitationEvent => ({ type: 'InvitationRevoked', data: { invitationId: ID } });
const expired = (window = '24h'): InvitationEvent => ({
  type: 'InvitationExpired',
  data: { invitationId: ID, expiresAt: ExpiryWindow.parse(window).from(T0).toISOString() },
});
const removed = (endedAs: 'redeemed' | 'revoked' | 'expired', endedAt: Date, retentionDays = 30): InvitationEvent => ({
  type: 'InvitationPersonalDataRemoved',
  data: { invitationId: ID, deploymentId: 'd1', endedAs, endedAt: endedAt.toISOString(), retentionDays },
});
const days = (d: number) => hours(d * 24);
const reminderDue = (forExpiresAt: string): InvitationEvent => ({
  type: 'InvitationReminderDue',
  data: { invitationId: ID, linkId: null, forExpiresAt },
});

describe('Invitation', () => {
  it('is issued with the window from now, pending, sent once', () => {
    const decided = issue({
      invitationId: ID,
      deploymentId: 'd1',
      email: 'p@example.org',
      channel: 'email',
      linkId: null,
      window: ExpiryWindow.parse('48h'),
      nonce: 'n1',
      now: T0,
    });
    expect(decided).toEqual([issued('48h')]);
    expect(given(...decided).state).toMatchObject({
      status: 'pending',
      expiresAt: hours(48).toISOString(),
      nonce: 'n1',
      sendCount: 1,
      issuedBy: 'staff-1',
    });
  });

  it('refuses an expiry window that is not one of the four', () => {
    for (const bad of ['12h', '7D', '', 7, null])
      expect(() => ExpiryWindow.parse(bad)).toThrow(expect.objectContaining({ code: 'invalid_expiry' }));
    expect(ExpiryWindow.parse('1y').seconds).toBe(365 * 24 * 3600);
  });

  describe('resend', () => {
    it('rotates the nonce and the window of a pending invitation', () => {
      given(issued())
        .when((s) => resend(s, ExpiryWindow.parse('24h'), 'n2', hours(1)))
        .then(resent('n2', hours(1), '24h').event);
      expect(given(issued(), resent('n2', hours(1))).state).toMatchObject({
        nonce: 'n2',
        previousNonces: ['n1'],
        sendCount: 2,
        expiresAt: hours(1 + 168).toISOString(),
      });
    });
    it('revives an expired invitation, marking the expiry first when nobody did', () => {
      given(issued('24h'))
        .when((s) => resend(s, ExpiryWindow.parse('24h'), 'n2', hours(30)))
        .then(expired('24h'), resent('n2', hours(30), '24h').event);
      given(issued('24h'), expired('24h'))
        .when((s) => resend(s, ExpiryWindow.parse('24h'), 'n2', hours(30)))
        .then(resent('n2', hours(30), '24h').event);
      expect(given(issued('24h'), expired('24h'), resent('n2', hours(30))).state.status).toBe('pending');
    });
    it('refuses to resend a redeemed invitation', () => {
      given(issued(), redeemed())
        .when((s) => resend(s, ExpiryWindow.parse('7d'), 'n2', hours(1)))
        .thenFails('invitation_not_resendable');
    });
    it('refuses to resend a revoked invitation', () => {
      given(issued(), revoked())
        .when((s) => resend(s, ExpiryWindow.parse('7d'), 'n2', hours(1)))
        .thenFails('invitation_not_resendable');
    });
  });

  describe('revoke', () => {
    it('revokes a pending or expired invitation', () => {
      given(issued()).when(revoke).then(revoked());
      given(issued(), expired()).when(revoke).then(revoked());
    });
    it('does nothing the second time', () => given(issued(), revoked()).when(revoke).then());
    it('refuses a redeemed invitation', () =>
      given(issued(), redeemed()).when(revoke).thenFails('invitation_already_redeemed'));
  });

  describe('expire', () => {
    it('expires a pending invitation at its expiry, not before', () => {
      given(issued('24h'))
        .when((s) => expire(s, hours(23.99)))
        .then();
      given(issued('24h'))
        .when((s) => expire(s, hours(24)))
        .then(expired('24h'));
    });
    it('refuses a second expiry, and leaves terminal invitations alone', () => {
      for (const terminal of [expired('24h'), redeemed(), revoked()])
        given(issued('24h'), terminal)
          .when((s) => expire(s, hours(48)))
          .then();
    });
    it('reads as expired once past expiry even before the job ran', () => {
      expect(effectiveStatus(given(issued('24h')).state, hours(25))).toBe('expired');
      expect(effectiveStatus(given(issued('24h')).state, hours(1))).toBe('pending');
    });
  });

  describe('retention', () => {
    it('removes the personal data of an invitation redeemed or revoked that many days ago, not before', () => {
      for (const [ended, as] of [
        [{ event: redeemed(), at: days(2) }, 'redeemed'],
        [{ event: revoked(), at: days(2) }, 'revoked'],
      ] as const) {
        given(issued(), ended)
          .when((s) => removePersonalData(s, 30, hours(32 * 24 - 0.01)))
          .then();
        given(issued(), ended)
          .when((s) => removePersonalData(s, 30, days(32)))
          .then(removed(as, days(2)));
      }
    });
    it('counts an expired invitation from its expiry, whether or not the expiry job ran', () => {
      given(issued('24h'))
        .when((s) => removePersonalData(s, 7, days(8)))
        .then(removed('expired', days(1), 7));
      given(issued('24h'), { event: expired('24h'), at: days(3) })
        .when((s) => removePersonalData(s, 7, days(8)))
        .then(removed('expired', days(1), 7));
      given(issued('24h'))
        .when((s) => removePersonalData(s, 7, hours(24 * 8 - 0.01)))
        .then();
    });
    it('leaves a pending invitation alone, however old, and one resent after it expired', () => {
      given(issued('1y'))
        .when((s) => removePersonalData(s, 1, days(300)))
        .then();
      given(issued('24h'), expired('24h'), resent('n2', days(40)))
        .when((s) => removePersonalData(s, 7, days(45)))
        .then();
    });
    it('makes an expired invitation impossible to resend: the address must be invited anew', () => {
      given(issued('24h'), removed('expired', days(1), 7))
        .when((s) => resend(s, ExpiryWindow.parse('7d'), 'n2', days(9)))
        .thenFails('invitation_not_resendable');
    });
    it('removes it once', () => {
      given(issued(), revoked(), removed('revoked', T0))
        .when((s) => removePersonalData(s, 30, days(400)))
        .then();
      expect(given(issued(), revoked(), removed('revoked', T0)).state.personalDataRemoved).toBe(true);
    });
  });

  describe('redeem', () => {
    it('redeems a pending invitation once', () => {
      given(issued())
        .when((s) => redeem(s, 'p1', hours(1)))
        .then(redeemed());
      given(issued(), redeemed())
        .when((s) => redeem(s, 'p1', hours(1)))
        .thenFails('invitation_already_redeemed');
    });
    it('answers in API.md order: used, deleted, superseded, expired', () => {
      const refusal = (state: Invitation, matched: 'current' | 'previous', at: Date) =>
        expect(() => checkRedeemable(state, matched, at));
      refusal(given(issued('24h'), redeemed()).state, 'previous', hours(48)).toThrow(
        expect.objectContaining({ code: 'invitation_already_redeemed' }),
      );
      refusal(given(issued('24h'), revoked()).state, 'previous', hours(48)).toThrow(
        expect.objectContaining({ code: 'invitation_revoked' }),
      );
      refusal(given(issued('24h')).state, 'previous', hours(48)).toThrow(
        expect.objectContaining({ code: 'invitation_superseded' }),
      );
      refusal(given(issued('24h')).state, 'current', hours(48)).toThrow(
        expect.objectContaining({ code: 'invitation_expired' }),
      );
      refusal(given(issued('24h')).state, 'current', hours(1)).not.toThrow();
    });
    it('refuses an expired invitation', () =>
      given(issued('24h'), expired())
        .when((s) => redeem(s, 'p1', hours(30)))
        .thenFails('invitation_expired'));
    it('refuses a revoked invitation', () =>
      given(issued(), revoked())
        .when((s) => redeem(s, 'p1', hours(1)))
        .thenFails('invitation_revoked'));
  });

  describe('reminders and repeated emails', () => {
    it('marks a reminder once per expiry', () => {
      given(issued())
        .when((s) => markReminderDue(s, 'X'))
        .then(reminderDue('X'));
      given(issued(), reminderDue('X'))
        .when((s) => markReminderDue(s, 'X'))
        .then();
      given(issued(), reminderDue('X'))
        .when((s) => markReminderDue(s, 'Y'))
        .then(reminderDue('Y'));
      given(issued(), redeemed())
        .when((s) => markReminderDue(s, 'X'))
        .then();
    });
    it('asks for the same link again only while pending, and not within ten minutes of the last email', () => {
      given(issued())
        .when((s) => requestEmailAgain(s, 'signed_up_again', hours(1)))
        .then({ type: 'InvitationEmailRequested', data: { invitationId: ID, reason: 'signed_up_again' } });
      given(issued(), revoked())
        .when((s) => requestEmailAgain(s, 'signed_up_again', hours(1)))
        .then();
      given(issued())
        .when((s) => requestEmailAgain(s, 'signed_up_again', hours(9.99 / 60)))
        .then();
    });
  });
});
