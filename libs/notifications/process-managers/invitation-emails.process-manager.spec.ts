import { projectionSpecification } from '@app/event-processing/testing/projection-specification';
import type { InvitationEvent } from '@app/invitations';
import { notificationsMigrations } from '../notifications-schema';
import { InvitationEmailsProcessManager } from './invitation-emails.process-manager';

const given = projectionSpecification({
  component: 'notifications',
  migrations: notificationsMigrations,
  processor: () => new InvitationEmailsProcessManager(),
});
const at = new Date('2030-01-01T00:00:00.000Z');
const on = (hours: number, event: InvitationEvent) => ({ event, at: new Date(at.getTime() + hours * 3600_000) });
const eventId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const issued: InvitationEvent = {
  type: 'InvitationIssued',
  data: {
    invitationId: 'i1',
    deploymentId: 'd1',
    email: 'p@example.org',
    channel: 'email',
    linkId: null,
    expiresAt: '2030-01-08T00:00:00.000Z',
    expiresIn: '7d',
    nonce: 'n1',
  },
};
const queued = (n: number, template: string, hours: number, nonce = 'n1', expiresAt = issued.data.expiresAt) => ({
  event_id: eventId(n),
  template,
  recipient: 'p@example.org',
  deployment_id: 'd1',
  invitation_id: 'i1',
  link_kind: 'invitation',
  link_id: 'i1',
  nonce,
  expires_at: expiresAt,
  status: 'queued',
  attempts: 0,
  next_attempt_at: new Date(at.getTime() + hours * 3600_000).toISOString(),
  last_error: null,
  message_id: null,
  created_at: new Date(at.getTime() + hours * 3600_000).toISOString(),
  sent_at: null,
});

describe('the invitation-emails process manager', () => {
  it('queues one email per event that asks for one, keyed by the event, with the link current at that event', () =>
    given(
      on(0, issued),
      on(1, {
        type: 'InvitationResent',
        data: { invitationId: 'i1', expiresAt: '2030-01-09T00:00:00.000Z', expiresIn: '7d', nonce: 'n2' },
      }),
      on(2, { type: 'InvitationReminderDue', data: { invitationId: 'i1', linkId: null, forExpiresAt: 'X' } }),
      on(3, { type: 'InvitationRevoked', data: { invitationId: 'i1' } }),
    ).then('mail_queue', 'created_at', [
      queued(0, 'invitation', 0),
      queued(1, 'resend', 1, 'n2', '2030-01-09T00:00:00.000Z'),
      queued(2, 'reminder', 2, 'n2', '2030-01-09T00:00:00.000Z'),
    ]));

  it('sends an existing-account notice with no link in it', () =>
    given(
      on(0, {
        type: 'ExistingAccountNoticeRequested',
        data: { linkId: 'l1', deploymentId: 'd1', email: 'p@example.org' },
      }),
    ).then('mail_queue', 'created_at', [
      {
        ...queued(0, 'already-registered', 0, ''),
        invitation_id: null,
        link_kind: null,
        link_id: null,
        nonce: null,
        expires_at: null,
      },
    ]));
});
