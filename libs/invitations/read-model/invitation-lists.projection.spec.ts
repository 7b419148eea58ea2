import { projectionSpecification } from '@app/event-processing/testing/projection-specification';
import type { DomainEvent } from '@app/event-store';
import type { InvitationEvent } from '../domain/invitation-events';
import { invitationListsMigrations } from './invitation-lists.schema';
import { InvitationListsProjection } from './invitation-lists.projection';

const given = projectionSpecification({
  component: 'invitations',
  migrations: invitationListsMigrations,
  processor: () => new InvitationListsProjection(),
});
const T0 = '2030-01-01T00:00:00.000Z';
const at = (hours: number) => new Date(Date.parse(T0) + hours * 3600_000);
const on = (hours: number, event: InvitationEvent | DomainEvent) => ({ event, at: at(hours) });

const issued: InvitationEvent = {
  type: 'InvitationIssued',
  data: {
    invitationId: 'i1',
    deploymentId: 'd1',
    email: 'p@example.org',
    channel: 'link',
    linkId: 'l1',
    expiresAt: at(24).toISOString(),
    expiresIn: '24h',
    nonce: 'n1',
  },
};
/** The id the specification gives the n-th event of its history (0-based): emails are keyed by the asking event. */
const eventId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const row = {
  id: 'i1',
  deployment_id: 'd1',
  email: 'p@example.org',
  status: 'pending',
  channel: 'link',
  link_id: 'l1',
  issued_at: T0,
  issued_by: 'staff-1',
  expires_at: at(24).toISOString(),
  expires_in: '24h',
  send_count: 1,
  last_sent_at: T0,
  email_status: 'queued',
  email_failure: null,
  last_mail_id: eventId(0),
  redeemed_at: null,
  revoked_at: null,
  reminder_due_for: null,
};
type Outcome = 'MailSent' | 'MailFailed' | 'MailBounced' | 'MailComplained';
const mail = (type: Outcome, about = 0, reason = 'the reason'): DomainEvent => ({
  type,
  data: {
    mailId: eventId(about),
    invitationId: 'i1',
    template: 'invitation',
    transport: 'mailgun',
    ...(type === 'MailSent' ? { messageId: 'x' } : { reason }),
  },
});

describe('the invitation lists projection', () => {
  it('lists an issued invitation as pending and queued, issued by its actor', () =>
    given(on(0, issued)).then('invitation_list', 'id', [row]));

  it('counts a resend as another sending with a new window, and forgets an earlier reminder', () =>
    given(
      on(0, issued),
      on(1, { type: 'InvitationReminderDue', data: { invitationId: 'i1', linkId: 'l1', forExpiresAt: 'X' } }),
      on(2, mail('MailSent')),
      on(30, { type: 'InvitationExpired', data: { invitationId: 'i1', expiresAt: at(24).toISOString() } }),
      on(31, {
        type: 'InvitationResent',
        data: { invitationId: 'i1', expiresAt: at(31 + 168).toISOString(), expiresIn: '7d', nonce: 'n2' },
      }),
    ).then('invitation_list', 'id', [
      {
        ...row,
        expires_at: at(31 + 168).toISOString(),
        expires_in: '7d',
        send_count: 2,
        last_sent_at: at(31).toISOString(),
        last_mail_id: eventId(4),
      },
    ]));

  it('follows delivery: sent with its time, or failed with why', async () => {
    await given(on(0, issued), on(2, mail('MailSent'))).then('invitation_list', 'id', [
      { ...row, email_status: 'sent', last_sent_at: at(2).toISOString() },
    ]);
    await given(on(0, issued), on(2, mail('MailFailed', 0, 'Mailgun answered 400'))).then('invitation_list', 'id', [
      { ...row, email_status: 'failed', email_failure: 'Mailgun answered 400' },
    ]);
  });

  it("follows the provider's reports: a bounce fails the email, a complaint marks it", async () => {
    await given(on(0, issued), on(1, mail('MailSent')), on(2, mail('MailBounced', 0, 'refused (550)'))).then(
      'invitation_list',
      'id',
      [{ ...row, email_status: 'failed', email_failure: 'refused (550)', last_sent_at: at(1).toISOString() }],
    );
    await given(on(0, issued), on(1, mail('MailSent')), on(2, mail('MailComplained', 0, 'spam'))).then(
      'invitation_list',
      'id',
      [{ ...row, email_status: 'complained', email_failure: 'spam', last_sent_at: at(1).toISOString() }],
    );
  });

  it('lets only the latest email set the status: a late bounce of a replaced email changes nothing', () =>
    given(
      on(0, issued),
      on(1, mail('MailSent')),
      on(2, { type: 'InvitationEmailRequested', data: { invitationId: 'i1', reason: 'signed_up_again' } }),
      on(3, mail('MailSent', 2)),
      on(4, mail('MailBounced', 0)),
    ).then('invitation_list', 'id', [
      { ...row, email_status: 'sent', send_count: 2, last_sent_at: at(3).toISOString(), last_mail_id: eventId(2) },
    ]));

  it('starts each new email afresh: queued, no failure', () =>
    given(
      on(0, issued),
      on(1, mail('MailFailed')),
      on(2, { type: 'InvitationEmailRequested', data: { invitationId: 'i1', reason: 'signed_up_again' } }),
    ).then('invitation_list', 'id', [
      { ...row, send_count: 2, last_sent_at: at(2).toISOString(), last_mail_id: eventId(2) },
    ]));

  it('marks a reminder, a repeated email, redemption and revocation', async () => {
    await given(
      on(0, issued),
      on(1, { type: 'InvitationReminderDue', data: { invitationId: 'i1', linkId: 'l1', forExpiresAt: 'X' } }),
      on(2, { type: 'InvitationEmailRequested', data: { invitationId: 'i1', reason: 'signed_up_again' } }),
      on(3, { type: 'InvitationRedeemed', data: { invitationId: 'i1', patientId: 'p1' } }),
    ).then('invitation_list', 'id', [
      {
        ...row,
        status: 'redeemed',
        send_count: 2,
        last_sent_at: at(2).toISOString(),
        last_mail_id: eventId(2),
        redeemed_at: at(3).toISOString(),
        reminder_due_for: 'X',
      },
    ]);
    await given(on(0, issued), on(5, { type: 'InvitationRevoked', data: { invitationId: 'i1' } })).then(
      'invitation_list',
      'id',
      [{ ...row, status: 'revoked', revoked_at: at(5).toISOString() }],
    );
  });

  it('expires only what is still pending', () =>
    given(
      on(0, issued),
      on(3, { type: 'InvitationRedeemed', data: { invitationId: 'i1', patientId: 'p1' } }),
      on(30, { type: 'InvitationExpired', data: { invitationId: 'i1', expiresAt: at(24).toISOString() } }),
    ).then('invitation_list', 'id', [{ ...row, status: 'redeemed', redeemed_at: at(3).toISOString() }]));

  it('lists shareable links, and takes a replayed event once', async () => {
    const generated: InvitationEvent = {
      type: 'InvitationLinkGenerated',
      data: { linkId: 'l1', deploymentId: 'd1', expiresAt: at(168).toISOString(), expiresIn: '7d', nonce: 'n1' },
    };
    const link = {
      id: 'l1',
      deployment_id: 'd1',
      status: 'active',
      expires_at: at(168).toISOString(),
      expires_in: '7d',
      nonce: 'n1',
      created_at: T0,
    };
    await given(on(0, generated), on(0, generated), on(0, issued), on(0, issued)).then('invitation_link_list', 'id', [
      link,
    ]);
    await given(
      on(0, generated),
      on(1, { type: 'InvitationLinkRevoked', data: { linkId: 'l1' } }),
      on(200, { type: 'InvitationLinkExpired', data: { linkId: 'l1', expiresAt: at(168).toISOString() } }),
    ).then('invitation_link_list', 'id', [{ ...link, status: 'revoked' }]);
  });

  describe('its temporal twin', () => {
    /** A version of the row: the list's columns (not its bookkeeping), valid from one instant until another. */
    const version = (from: number, to: number | null, changes: Record<string, unknown> = {}) => {
      const { last_mail_id: _mail, reminder_due_for: _reminder, ...listed } = { ...row, ...changes };
      return { ...listed, valid_from: at(from).toISOString(), valid_to: to === null ? null : at(to).toISOString() };
    };

    it('keeps every state of a row, each from the instant it began until the next one', () =>
      given(
        on(0, issued),
        on(2, mail('MailSent')),
        on(3, { type: 'InvitationRedeemed', data: { invitationId: 'i1', patientId: 'p1' } }),
      ).then('invitation_list_versions', 'valid_from', [
        version(0, 2),
        version(2, 3, { email_status: 'sent', last_sent_at: at(2).toISOString() }),
        version(3, null, {
          email_status: 'sent',
          last_sent_at: at(2).toISOString(),
          status: 'redeemed',
          redeemed_at: at(3).toISOString(),
        }),
      ]));

    it('keeps one version for changes at the same instant: the last state, nobody saw those before it', () =>
      given(
        on(0, issued),
        on(0, { type: 'InvitationEmailRequested', data: { invitationId: 'i1', reason: 'signed_up_again' } }),
      ).then('invitation_list_versions', 'valid_from', [version(0, null, { send_count: 2 })]));

    it('never lets versions overlap when an event carries an earlier time than the one before it', () =>
      given(
        on(0, issued),
        on(5, mail('MailSent')),
        on(4, { type: 'InvitationRevoked', data: { invitationId: 'i1' } }),
      ).then('invitation_list_versions', 'valid_from', [
        version(0, 5),
        version(5, null, {
          email_status: 'sent',
          last_sent_at: at(5).toISOString(),
          status: 'revoked',
          revoked_at: at(4).toISOString(),
        }),
      ]));

    it('writes invitations issued one after another as it writes them one at a time, a repeated one too', async () => {
      const second: InvitationEvent = {
        ...issued,
        data: { ...issued.data, invitationId: 'i2', email: 'q@example.org', nonce: 'n2' },
      };
      const history = [on(0, issued), on(1, second), on(1, issued), on(2, second)];
      const secondRow = {
        id: 'i2',
        email: 'q@example.org',
        issued_at: at(1).toISOString(),
        last_sent_at: at(1).toISOString(),
      };
      await given(...history).then('invitation_list', 'id', [row, { ...row, ...secondRow, last_mail_id: eventId(1) }]);
      await given(...history).then('invitation_list_versions', 'id, valid_from', [
        version(0, 1),
        version(1, null),
        { ...version(1, 2), ...secondRow },
        { ...version(2, null), ...secondRow },
      ]);
    });

    it('records nothing for events that change no invitation row', () =>
      given(on(0, { type: 'InvitationLinkRevoked', data: { linkId: 'l1' } })).then(
        'invitation_list_versions',
        'valid_from',
        [],
      ));
  });
});
