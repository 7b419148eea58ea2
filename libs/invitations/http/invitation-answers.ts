import { EXPIRY_WINDOWS } from '@app/link-tokens';
import {
  type AnswerSchemas,
  instant,
  integer,
  listOf,
  nullableText,
  object,
  oneOf,
  text,
  uuid,
} from '@app/problem-details';
import { LANGUAGES } from '@app/identity';
import { EMAIL_STATUSES } from '../application/invitation-view';

const windows = oneOf(...Object.keys(EXPIRY_WINDOWS));
const line = (status?: boolean) =>
  object(
    {
      line: { ...integer, description: "The file's 1-based physical line" },
      value: text(),
      ...(status ? { status: oneOf('ready', 'invalid', 'duplicate', 'already_pending', 'already_registered') } : {}),
      reason: text(),
    },
    ['reason'],
  );
const publicDeployment = {
  deploymentName: text(),
  language: oneOf(...LANGUAGES),
  timeZone: text('IANA name: dates on the patient pages are shown in it'),
};

/** The invitations context's answers, by name, for the OpenAPI document. */
export const INVITATION_ANSWERS: AnswerSchemas = {
  Invitation: object(
    {
      id: uuid,
      deploymentId: uuid,
      email: text(),
      status: oneOf('pending', 'expired', 'redeemed', 'revoked'),
      channel: oneOf('email', 'link'),
      linkId: uuid,
      issuedAt: instant,
      issuedBy: text('The issuing staff id, or "patient" for a sign-up through a link'),
      issuedByName: nullableText("The issuer's name, in lists and look-ups"),
      expiresAt: instant,
      expiresIn: windows,
      sendCount: integer,
      lastSentAt: instant,
      emailStatus: oneOf(...EMAIL_STATUSES),
      emailFailure: text('Why the latest email failed, in words (the provider’s answer, no addresses)'),
      redeemedAt: instant,
      revokedAt: instant,
    },
    ['linkId', 'issuedByName', 'emailFailure', 'redeemedAt', 'revokedAt'],
  ),
  InvitationPage: object({ items: listOf('Invitation'), nextCursor: nullableText('Null on the last page') }),
  IssueResult: object({
    issued: listOf('Invitation'),
    skipped: listOf(
      object({ email: text(), reason: oneOf('duplicate_in_request', 'already_pending', 'already_registered') }),
    ),
  }),
  BulkResendResult: object({
    resent: listOf('Invitation'),
    skipped: listOf(object({ id: uuid, reason: oneOf('invitation_not_resendable') })),
    hasMore: { type: 'boolean', description: 'More were selected than one request re-sends (10,000): send again' },
  }),
  InvitationCounts: object({ pending: integer, expired: integer, redeemed: integer, revoked: integer }),
  CsvPreview: object({
    emails: listOf(text()),
    invalid: listOf(line()),
    duplicates: listOf(object({ line: integer, value: text() })),
    total: integer,
    header: { ...object({ line: integer, value: text() }), nullable: true },
    lines: listOf(line(true)),
  }),
  HistoryEvent: object({
    id: uuid,
    stream: text('invitation-<id>, or mail-<id> for what became of an email it asked for'),
    type: text(),
    revision: { ...integer, description: '0-based, in its stream' },
    occurredAt: instant,
    actor: { ...object({ type: text(), id: text(), name: nullableText() }), nullable: true },
    data: { type: 'object', description: 'The event’s data, never a token, nonce or secret' },
  }),
  History: object({ events: listOf('HistoryEvent') }),
  ShareableLink: object({
    id: uuid,
    url: text('The link to share: it carries its token'),
    expiresAt: instant,
    status: oneOf('active', 'expired', 'revoked'),
    signUps: integer,
    redeemed: integer,
  }),
  ShareableLinks: object({ items: listOf('ShareableLink') }),
  GeneratedLink: object({ id: uuid, deploymentId: uuid, url: text(), expiresAt: instant, status: oneOf('active') }),
  InvitationPeek: object({ status: oneOf('pending'), ...publicDeployment, email: text(), expiresAt: instant }),
  LinkPeek: object({ ...publicDeployment, expiresAt: instant }),
  Accepted: object({ patientId: uuid, accessToken: text() }),
  FeedEvent: object({
    position: text('Opaque; pass as `after` to read on'),
    streamId: text(),
    id: uuid,
    type: text(),
    revision: integer,
    occurredAt: instant,
    metadata: { type: 'object' },
    actorName: nullableText(),
    data: { type: 'object' },
  }),
  FeedPage: object({ events: listOf('FeedEvent'), nextPosition: text() }),
  Erasure: object({
    subject: text('The person from now on: a keyed HMAC of the address, as PersonalDataErased names them'),
    invitationsRevoked: integer,
    accountErased: { type: 'boolean', description: 'The patient had an account: closed for good, address released' },
    erasedAt: instant,
  }),
  Empty: object({}),
};
