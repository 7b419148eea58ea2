import type { DomainEvent, RecordedEvent } from '@app/event-store';
import { ExpiryWindow } from './expiry-window';
import { InvitationEvents as E } from './invitation-events';
import {
  checkRedeemable,
  effectiveStatus,
  evolveInvitation,
  expire,
  type Invitation,
  issue,
  markReminderDue,
  redeem,
  requestEmailAgain,
  resend,
  revoke,
} from './invitation';

const ID = '7e1b0c8a-3d7e-4f6a-9a43-3b3c1c0e9f10';
const T0 = new Date('2030-01-01T00:00:00.000Z');
const hours = (h: number) => new Date(T0.getTime() + h * 3600_000);
let revision = 0n;

const recorded = (event: DomainEvent, at = T0): RecordedEvent => ({
  id: `00000000-0000-4000-8000-${String(revision).padStart(12, '0')}`,
  streamId: `invitation-${ID}`,
  type: event.type,
  schemaVersion: 1,
  revision: revision++,
  position: '',
  data: event.data,
  metadata: { actor: { type: 'staff', id: 'staff-1' }, occurredAt: at.toISOString() },
  recordedAt: at,
});

const issued = (window = '7d') =>
  issue({
    invitationId: ID,
    deploymentId: 'd1',
    email: 'p@example.org',
    channel: 'email',
    linkId: null,
    window: ExpiryWindow.parse(window),
    nonce: 'n1',
    now: T0,
  })[0];
const resent = (nonce = 'n2', at = hours(1)) => ({
  event: resend(fold([issued()]), ExpiryWindow.parse('7d'), nonce, at)[0],
  at,
});
const redeemed = (): DomainEvent => ({ type: E.InvitationRedeemed, data: { invitationId: ID, patientId: 'p1' } });
const revoked = (): DomainEvent => ({ type: E.InvitationRevoked, data: { invitationId: ID } });
const expired = (): DomainEvent => ({ type: E.InvitationExpired, data: { invitationId: ID } });

function fold(events: (DomainEvent | { event: DomainEvent; at: Date })[]): Invitation {
  return events.reduce<Invitation | null>(
    (s, e) => ('at' in e ? evolveInvitation(s, recorded(e.event, e.at)) : evolveInvitation(s, recorded(e))),
    null,
  )!;
}

function given(...events: (DomainEvent | { event: DomainEvent; at: Date })[]) {
  const state = fold(events);
  return {
    when: (command: (s: Invitation) => DomainEvent[]) => ({
      then: (...types: string[]) => expect(command(state).map((e) => e.type)).toEqual(types),
      thenFails: (code: string) => expect(() => command(state)).toThrow(expect.objectContaining({ code })),
    }),
    state,
  };
}

describe('Invitation', () => {
  it('is issued pending, with the window from now', () => {
    const state = fold([issued('48h')]);
    expect(state).toMatchObject({
      status: 'pending',
      expiresAt: hours(48).toISOString(),
      expiresIn: '48h',
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
        .then(E.InvitationResent);
      const state = fold([issued(), resent('n2')]);
      expect(state).toMatchObject({
        nonce: 'n2',
        previousNonces: ['n1'],
        sendCount: 2,
        expiresAt: hours(1 + 168).toISOString(),
      });
    });
    it('revives an expired invitation, marking the expiry first when nobody did', () => {
      given(issued('24h'))
        .when((s) => resend(s, ExpiryWindow.parse('24h'), 'n2', hours(30)))
        .then(E.InvitationExpired, E.InvitationResent);
      given(issued('24h'), expired())
        .when((s) => resend(s, ExpiryWindow.parse('24h'), 'n2', hours(30)))
        .then(E.InvitationResent);
      expect(fold([issued('24h'), expired(), resent('n2', hours(30))]).status).toBe('pending');
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
      given(issued()).when(revoke).then(E.InvitationRevoked);
      given(issued(), expired()).when(revoke).then(E.InvitationRevoked);
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
        .then(E.InvitationExpired);
    });
    it('refuses a second expiry, and leaves terminal invitations alone', () => {
      given(issued('24h'), expired())
        .when((s) => expire(s, hours(48)))
        .then();
      given(issued('24h'), redeemed())
        .when((s) => expire(s, hours(48)))
        .then();
      given(issued('24h'), revoked())
        .when((s) => expire(s, hours(48)))
        .then();
    });
    it('reads as expired once past expiry even before the job ran', () => {
      expect(effectiveStatus(fold([issued('24h')]), hours(25))).toBe('expired');
      expect(effectiveStatus(fold([issued('24h')]), hours(1))).toBe('pending');
    });
  });

  describe('redeem', () => {
    it('redeems a pending invitation once', () => {
      given(issued())
        .when((s) => redeem(s, 'p1', hours(1)))
        .then(E.InvitationRedeemed);
      given(issued(), redeemed())
        .when((s) => redeem(s, 'p1', hours(1)))
        .thenFails('invitation_already_redeemed');
    });
    it('answers in API.md order: used, deleted, superseded, expired', () => {
      const redeemedThenRevoked = fold([issued('24h'), redeemed()]);
      expect(() => checkRedeemable(redeemedThenRevoked, 'previous', hours(48))).toThrow(
        expect.objectContaining({ code: 'invitation_already_redeemed' }),
      );
      expect(() => checkRedeemable(fold([issued('24h'), revoked()]), 'previous', hours(48))).toThrow(
        expect.objectContaining({ code: 'invitation_revoked' }),
      );
      expect(() => checkRedeemable(fold([issued('24h')]), 'previous', hours(48))).toThrow(
        expect.objectContaining({ code: 'invitation_superseded' }),
      );
      expect(() => checkRedeemable(fold([issued('24h')]), 'current', hours(48))).toThrow(
        expect.objectContaining({ code: 'invitation_expired' }),
      );
      expect(() => checkRedeemable(fold([issued('24h')]), 'current', hours(1))).not.toThrow();
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
        .then(E.InvitationReminderDue);
      given(issued(), { type: E.InvitationReminderDue, data: { invitationId: ID, forExpiresAt: 'X' } })
        .when((s) => markReminderDue(s, 'X'))
        .then();
      given(issued(), { type: E.InvitationReminderDue, data: { invitationId: ID, forExpiresAt: 'X' } })
        .when((s) => markReminderDue(s, 'Y'))
        .then(E.InvitationReminderDue);
      given(issued(), redeemed())
        .when((s) => markReminderDue(s, 'X'))
        .then();
    });
    it('asks for the same link again only while pending', () => {
      given(issued())
        .when((s) => requestEmailAgain(s, 'sign_up_again'))
        .then(E.InvitationEmailRequested);
      given(issued(), revoked())
        .when((s) => requestEmailAgain(s, 'sign_up_again'))
        .then();
    });
  });
});
