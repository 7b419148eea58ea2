import {
  type AnswerSchemas,
  instant,
  integer,
  listOf,
  nullableText,
  object,
  oneOf,
  schemaRef,
  text,
  uuid,
} from '@app/problem-details';
import { EXPIRY_WINDOWS } from '@app/link-tokens';
import { LANGUAGES } from '../domain/deployment-settings';
import { PERMISSIONS, SERVICE_SCOPES } from '../domain/roles';

const permissions = listOf(oneOf(...PERMISSIONS));
const scope = oneOf('organisation', 'deployments');
const windows = oneOf(...Object.keys(EXPIRY_WINDOWS));

/** The identity context's answers, by name, for the OpenAPI document. */
export const IDENTITY_ANSWERS: AnswerSchemas = {
  AccessToken: object({
    accessToken: text('A JWT for the Authorization header; the refresh token travels only in its HttpOnly cookie'),
    tokenType: oneOf('Bearer'),
    expiresIn: { ...integer, description: 'Seconds' },
  }),
  Me: object(
    {
      id: uuid,
      email: text(),
      name: text('A service account: its name'),
      kind: oneOf('staff', 'patient', 'service'),
      roles: listOf(text()),
      permissions,
      scopes: listOf(oneOf(...SERVICE_SCOPES)),
      deploymentIds: listOf(uuid),
    },
    ['email', 'name', 'scopes'],
  ),
  ServiceAccount: object({
    id: uuid,
    clientId: text('The OAuth client_id: the same as id'),
    name: text(),
    scopes: listOf(oneOf(...SERVICE_SCOPES)),
    deploymentIds: { ...listOf(uuid), description: 'Empty: every deployment of the organisation' },
    status: oneOf('active', 'revoked'),
    createdAt: instant,
    secretRotatedAt: { ...instant, nullable: true },
    revokedAt: { ...instant, nullable: true },
  }),
  ServiceAccounts: object({ items: listOf('ServiceAccount') }),
  CreatedServiceAccount: {
    allOf: [schemaRef('ServiceAccount'), object({ clientSecret: text('Shown once') })],
  },
  ClientCredentials: object({ clientId: text(), clientSecret: text('Shown once') }),
  OAuthToken: object({
    access_token: text('A JWT for the Authorization header'),
    token_type: oneOf('Bearer'),
    expires_in: { ...integer, description: 'Seconds' },
    scope: text('The granted scopes, space-separated'),
  }),
  Deployment: object({ id: uuid, name: text() }),
  Deployments: object({ items: listOf('Deployment') }),
  DeploymentSettings: object({
    language: oneOf(...LANGUAGES),
    timeZone: text('IANA name'),
    senderName: nullableText(),
    replyTo: nullableText(),
    defaultExpiresIn: windows,
    remindPersonalInvitations: { type: 'boolean' },
    emailIntro: nullableText(),
    emailSignOff: nullableText(),
  }),
  Role: object({ name: text(), permissions, builtIn: { type: 'boolean' }, scope }),
  Roles: object({ items: listOf('Role') }),
  CreatedRole: object({ name: text(), permissions }),
  Staff: object({
    id: uuid,
    email: text(),
    name: nullableText(),
    roles: listOf(object({ name: text(), scope, deploymentIds: listOf(uuid) })),
    status: oneOf('active', 'deactivated'),
  }),
  StaffPage: object({ items: listOf('Staff'), nextCursor: nullableText() }),
  CreatedStaff: object({ id: uuid, email: text(), role: text() }),
  StaffInvitation: object({ id: uuid, email: text(), name: nullableText(), role: text(), expiresAt: instant }),
  StaffInvitationPeek: object({ email: text(), name: nullableText(), role: text(), expiresAt: instant }),
  AcceptedStaffInvitation: object({ id: uuid, email: text() }),
};
