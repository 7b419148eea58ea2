import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  CLOCK,
  type Clock,
  EVENT_STORE,
  type EventContext,
  type EventStore,
  requestContext,
  toNewEvents,
  WrongExpectedRevisionError,
} from '@app/event-store';
import { IdentityError } from '../domain/identity-error';
import { IdentityEvents, streams } from '../domain/identity-events';
import type { StaffPrincipal } from '../domain/principal';
import { isPermission, type Permission, RESERVED_ROLE_NAMES } from '../domain/roles';

/** Deployments and custom roles: the organisation's own set-up, each change an audit event. */
@Injectable()
export class OrganisationAdmin {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async createDeployment(actor: StaffPrincipal, name: string, correlationId: string) {
    if (actor.role !== 'Admin') throw new IdentityError('admin_only', 'Only an Admin creates deployments');
    const deploymentId = randomUUID();
    const data = { deploymentId, organisationId: actor.organisationId, name: name.trim() };
    await this.store.appendToStream(
      streams.deployment(deploymentId),
      toNewEvents([{ type: IdentityEvents.DeploymentCreated, data }], this.context(actor, correlationId)),
      { expectedRevision: 'no_stream' },
    );
    return { id: deploymentId, name: data.name };
  }

  async createRole(actor: StaffPrincipal, name: string, permissions: string[], correlationId: string) {
    const trimmed = name.trim();
    if (RESERVED_ROLE_NAMES.some((r) => r.toLowerCase() === trimmed.toLowerCase())) {
      throw new IdentityError('role_exists', `${trimmed} is a built-in role`, 'name');
    }
    const unique = [...new Set(permissions)];
    if (!unique.every(isPermission)) throw new IdentityError('unknown_role', 'Unknown permission', 'permissions');
    const missing = (unique as Permission[]).filter((p) => !actor.permissions.includes(p));
    if (missing.length)
      throw new IdentityError('cannot_grant_role', `You do not hold ${missing.join(', ')}`, 'permissions');
    const roleId = randomUUID();
    const context = this.context(actor, correlationId);
    try {
      await this.store.appendToStreams([
        {
          stream: streams.roleName(trimmed),
          expectedRevision: 'no_stream',
          events: toNewEvents([{ type: IdentityEvents.RoleNameReserved, data: { roleId } }], context),
        },
        {
          stream: streams.role(roleId),
          expectedRevision: 'no_stream',
          events: toNewEvents(
            [
              {
                type: IdentityEvents.RoleCreated,
                data: { roleId, organisationId: actor.organisationId, name: trimmed, permissions: unique },
              },
            ],
            context,
          ),
        },
      ]);
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError)
        throw new IdentityError('role_exists', `A role named ${trimmed} exists`, 'name');
      throw error;
    }
    return { name: trimmed, permissions: unique as Permission[] };
  }

  private context(actor: StaffPrincipal, correlationId: string): EventContext {
    return requestContext({ type: 'staff', id: actor.id }, correlationId, this.clock.now());
  }
}
