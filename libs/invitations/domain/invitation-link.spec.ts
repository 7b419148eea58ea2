import { specification } from '@app/event-store/testing/given-when-then';
import { ExpiryWindow } from './expiry-window';
import type { InvitationEvent } from './invitation-events';
import {
  checkLinkOpen,
  effectiveLinkStatus,
  evolveLink,
  expireLink,
  generateLink,
  type InvitationLink,
  requestExistingAccountNotice,
  revokeLink,
} from './invitation-link';

const T0 = new Date('2030-01-01T00:00:00.000Z');
const days = (d: number) => new Date(T0.getTime() + d * 86_400_000);
const given = specification<InvitationLink>(evolveLink, { stream: 'invitationLink-l1', start: T0, actorId: 's1' });

const generated = (): InvitationEvent => ({
  type: 'InvitationLinkGenerated',
  data: { linkId: 'l1', deploymentId: 'd1', expiresAt: days(7).toISOString(), expiresIn: '7d', nonce: 'n1' },
});
const revoked = (): InvitationEvent => ({ type: 'InvitationLinkRevoked', data: { linkId: 'l1' } });
const expired = (): InvitationEvent => ({
  type: 'InvitationLinkExpired',
  data: { linkId: 'l1', expiresAt: days(7).toISOString() },
});

describe('InvitationLink', () => {
  it('is generated active with its window', () => {
    expect(generateLink('l1', 'd1', ExpiryWindow.parse('7d'), 'n1', T0)).toEqual([generated()]);
    expect(given(generated()).state).toMatchObject({ id: 'l1', status: 'active', generatedBy: 's1' });
  });

  it('is revoked once; revoking again changes nothing', () => {
    given(generated()).when(revokeLink).then(revoked());
    given(generated(), revoked()).when(revokeLink).then();
  });

  it('expires at its expiry and only once; a revoked link does not expire', () => {
    given(generated())
      .when((s) => expireLink(s, days(6.9)))
      .then();
    given(generated())
      .when((s) => expireLink(s, days(7)))
      .then(expired());
    for (const terminal of [expired(), revoked()])
      given(generated(), terminal)
        .when((s) => expireLink(s, days(8)))
        .then();
    expect(effectiveLinkStatus(given(generated()).state, days(7))).toBe('expired');
  });

  it('refuses sign-ups when revoked (first) or expired', () => {
    expect(() => checkLinkOpen(given(generated()).state, days(1))).not.toThrow();
    expect(() => checkLinkOpen(given(generated()).state, days(8))).toThrow(
      expect.objectContaining({ code: 'link_expired' }),
    );
    expect(() => checkLinkOpen(given(generated(), revoked()).state, days(8))).toThrow(
      expect.objectContaining({ code: 'link_revoked' }),
    );
  });

  it('sends one existing-account notice per address in ten minutes', () => {
    const notice: InvitationEvent = {
      type: 'ExistingAccountNoticeRequested',
      data: { linkId: 'l1', deploymentId: 'd1', email: 'p@example.org' },
    };
    const minutes = (m: number) => new Date(T0.getTime() + m * 60_000);
    given(generated(), { event: notice, at: minutes(5) })
      .when((s) => requestExistingAccountNotice(s, 'p@example.org', minutes(14)))
      .then();
    given(generated(), { event: notice, at: minutes(5) })
      .when((s) => requestExistingAccountNotice(s, 'p@example.org', minutes(15)))
      .then(notice);
    given(generated(), { event: notice, at: minutes(5) })
      .when((s) => requestExistingAccountNotice(s, 'q@example.org', minutes(6)))
      .then({ ...notice, data: { ...notice.data, email: 'q@example.org' } });
  });

  it('asks for an existing-account notice to the address that signed up', () => {
    given(generated())
      .when((s) => requestExistingAccountNotice(s, 'p@example.org', days(1)))
      .then({
        type: 'ExistingAccountNoticeRequested',
        data: { linkId: 'l1', deploymentId: 'd1', email: 'p@example.org' },
      });
  });
});
