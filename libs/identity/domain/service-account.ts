import { occurredAt, type RecordedEvent } from '@app/event-store';
import { IdentityError } from './identity-error';
import { IdentityEvents, identityEventOf, streams } from './identity-events';
import type { IdentityEvent } from './identity-events';
import type { NewStream } from './new-streams';
import type { StaffPrincipal } from './principal';
import { isServiceScope, type ServiceScope } from './roles';

export interface ServiceAccountState {
  id: string;
  organisationId: string;
  name: string;
  scopes: ServiceScope[];
  /** Empty: every deployment of the organisation. */
  deploymentIds: string[];
  /** Which stored secret hash is this account's now. */
  credentialId: string;
  active: boolean;
  createdAt: string;
  secretRotatedAt: string | null;
  revokedAt: string | null;
}

export interface ServiceAccountRequest {
  serviceAccountId: string;
  credentialId: string;
  name: string;
  scopes: readonly string[];
  /** Absent or empty: the whole organisation. */
  deploymentIds: readonly string[];
  /** Those of `deploymentIds` the creator acts in (the rest are refused as unknown). */
  knownDeployments: ReadonlySet<string>;
}

/**
 * A service account, made by someone who manages them: named, with at least one known scope, for the
 * whole organisation or for deployments that exist and the creator acts in.
 */
export function createServiceAccount(creator: StaffPrincipal, request: ServiceAccountRequest): NewStream[] {
  const name = request.name.trim();
  if (!name || name.length > 100) throw new IdentityError('invalid_name', 'A name of 1 to 100 characters', 'name');
  const scopes = [...new Set(request.scopes)];
  if (!scopes.length || !scopes.every(isServiceScope))
    throw new IdentityError(
      'invalid_scopes',
      'One or more of events:read, invitations:read, invitations:write',
      'scopes',
    );
  const deploymentIds = [...new Set(request.deploymentIds)];
  if (deploymentIds.some((id) => !request.knownDeployments.has(id)))
    throw new IdentityError('deployment_not_found', 'No such deployment', 'deploymentIds');
  const { serviceAccountId, credentialId } = request;
  return [
    {
      stream: streams.serviceAccount(serviceAccountId),
      events: [
        {
          type: 'ServiceAccountCreated',
          data: { serviceAccountId, organisationId: creator.organisationId, name, scopes, deploymentIds, credentialId },
        },
      ],
    },
  ];
}

/** A new secret for an account still in use; the old one stops working with this event. */
export function rotateServiceAccountSecret(state: ServiceAccountState | null, credentialId: string): IdentityEvent[] {
  const account = activeAccount(state);
  return [{ type: 'ServiceAccountSecretRotated', data: { serviceAccountId: account.id, credentialId } }];
}

/** Revoking is final; revoking again changes nothing and says so. */
export function revokeServiceAccount(state: ServiceAccountState | null): IdentityEvent[] {
  const account = activeAccount(state);
  return [{ type: 'ServiceAccountRevoked', data: { serviceAccountId: account.id } }];
}

function activeAccount(state: ServiceAccountState | null): ServiceAccountState {
  if (!state) throw new IdentityError('service_account_not_found', 'No such service account');
  if (!state.active) throw new IdentityError('service_account_revoked', 'This service account is revoked');
  return state;
}

export function evolveServiceAccount(
  state: ServiceAccountState | null,
  recorded: RecordedEvent,
): ServiceAccountState | null {
  const event = identityEventOf(recorded);
  const at = occurredAt(recorded);
  switch (event?.type) {
    case IdentityEvents.ServiceAccountCreated: {
      const { serviceAccountId, organisationId, name, scopes, deploymentIds, credentialId } = event.data;
      return {
        id: serviceAccountId,
        organisationId,
        name,
        scopes,
        deploymentIds,
        credentialId,
        active: true,
        createdAt: at,
        secretRotatedAt: null,
        revokedAt: null,
      };
    }
    case IdentityEvents.ServiceAccountSecretRotated:
      return state && { ...state, credentialId: event.data.credentialId, secretRotatedAt: at };
    case IdentityEvents.ServiceAccountRevoked:
      return state && { ...state, active: false, revokedAt: at };
    default:
      return state;
  }
}
