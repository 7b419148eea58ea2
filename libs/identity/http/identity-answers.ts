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
import { EXPIRY_WINDOWS } from '@app/link-tokens';
import { LANGUAGES } from '../domain/deployment-settings';
import { PERMISSIONS } from '../domain/roles';

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
  Me: object({
    id: uuid,
    email: text(),
    kind: oneOf('staff', 'patient'),
    roles: listOf(text()),
    permissions,
    deploymentIds: listOf(uuid),
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
