import type { EventFilter } from '@app/event-store';
import type { DeploymentAccess, Principal } from '@app/identity';
import { InvitationError } from '../../domain/invitation-error';

/** What an auditor asks for: one deployment, a time range (from inclusive, to exclusive), some event types. */
export interface AuditFilter {
  deploymentId?: string;
  from?: Date;
  to?: Date;
  types?: string[];
  /** Stream categories (the part of a stream's name before its first `-`: invitation, mail, staff …). */
  categories?: string[];
}

/**
 * The store's filter for an auditor: an organisation-wide role reads all of the log or the one
 * deployment it names; a deployment-scoped role only its own deployments (the caller has checked
 * that a named one is among those it acts in). Deployment and type are answered by the store's indexes.
 */
export function storeFilter(principal: Principal, filter: AuditFilter): EventFilter {
  const scoped = principal.kind === 'patient' || principal.scope === 'deployments';
  const deploymentIds = filter.deploymentId ? [filter.deploymentId] : scoped ? principal.deploymentIds : undefined;
  return {
    ...(deploymentIds ? { deploymentIds } : {}),
    ...(filter.types?.length ? { types: filter.types } : {}),
    ...(filter.categories?.length ? { categories: filter.categories } : {}),
  };
}

/** The time range, on when each event happened (its `occurredAt`, ISO text: its order is time order). */
export function inTimeRange(filter: AuditFilter): (occurredAt: string) => boolean {
  const from = filter.from?.toISOString();
  const to = filter.to?.toISOString();
  return (at) => (!from || at >= from) && (!to || at < to);
}

/** A deployment named in a filter must be one the caller acts in; otherwise it is not found. */
export async function checkDeployment(access: DeploymentAccess, principal: Principal, filter: AuditFilter) {
  if (filter.deploymentId && !(await access.canActIn(principal, filter.deploymentId)))
    throw new InvitationError('deployment_not_found', 'No such deployment');
}
