import type { DomainEvent, RecordedEvent } from '@app/event-store';
import { ExpiryWindow } from './expiry-window';
import { InvitationEvents as E } from './invitation-events';
import {
  checkLinkOpen,
  effectiveLinkStatus,
  evolveLink,
  expireLink,
  generateLink,
  type InvitationLink,
  revokeLink,
} from './invitation-link';

const T0 = new Date('2030-01-01T00:00:00.000Z');
const days = (d: number) => new Date(T0.getTime() + d * 86_400_000);
const recorded = (event: DomainEvent): RecordedEvent => ({
  id: '',
  streamId: 'invitationLink-l1',
  type: event.type,
  schemaVersion: 1,
  revision: 0n,
  position: '',
  data: event.data,
  metadata: { actor: { type: 'staff', id: 's1' }, occurredAt: T0.toISOString() },
  recordedAt: T0,
});
const given = (...events: DomainEvent[]) =>
  events.reduce<InvitationLink | null>((s, e) => evolveLink(s, recorded(e)), null)!;
const generated = () => generateLink('l1', 'd1', ExpiryWindow.parse('7d'), 'n1', T0)[0];
const revoked = (): DomainEvent => ({ type: E.InvitationLinkRevoked, data: { linkId: 'l1' } });
const expired = (): DomainEvent => ({ type: E.InvitationLinkExpired, data: { linkId: 'l1' } });

describe('InvitationLink', () => {
  it('is generated active with its window', () => {
    expect(given(generated())).toMatchObject({
      id: 'l1',
      status: 'active',
      expiresAt: days(7).toISOString(),
      expiresIn: '7d',
      generatedBy: 's1',
    });
  });

  it('is revoked once; revoking again changes nothing', () => {
    expect(revokeLink(given(generated())).map((e) => e.type)).toEqual([E.InvitationLinkRevoked]);
    expect(revokeLink(given(generated(), revoked()))).toEqual([]);
  });

  it('expires at its expiry and only once; a revoked link does not expire', () => {
    expect(expireLink(given(generated()), days(6.9))).toEqual([]);
    expect(expireLink(given(generated()), days(7)).map((e) => e.type)).toEqual([E.InvitationLinkExpired]);
    expect(expireLink(given(generated(), expired()), days(8))).toEqual([]);
    expect(expireLink(given(generated(), revoked()), days(8))).toEqual([]);
    expect(effectiveLinkStatus(given(generated()), days(7))).toBe('expired');
  });

  it('refuses sign-ups when revoked (first) or expired', () => {
    expect(() => checkLinkOpen(given(generated()), days(1))).not.toThrow();
    expect(() => checkLinkOpen(given(generated()), days(8))).toThrow(expect.objectContaining({ code: 'link_expired' }));
    expect(() => checkLinkOpen(given(generated(), revoked()), days(8))).toThrow(
      expect.objectContaining({ code: 'link_revoked' }),
    );
  });
});
