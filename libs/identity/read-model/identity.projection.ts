import { occurredAt, type RecordedEvent } from '@app/event-store';
import { type Processor } from '@app/event-processing';
import { type SqlExecutor } from '@app/sql';
import { IdentityEvents, identityEventOf } from '../domain/identity-events';

/** Deployments and custom roles, for listing. Look-ups that must be current read the streams instead. */
export class IdentityProjection implements Processor {
  readonly name = 'identity-directory';
  readonly filter = { types: [IdentityEvents.DeploymentCreated, IdentityEvents.RoleCreated] };

  async handle(events: readonly RecordedEvent[], tx: SqlExecutor): Promise<void> {
    for (const recorded of events) {
      const event = identityEventOf(recorded);
      const at = occurredAt(recorded);
      if (event?.type === IdentityEvents.DeploymentCreated) {
        await tx.execute(
          'INSERT INTO identity_deployments (id, organisation_id, name, created_at) VALUES ($1, $2, $3, ' +
            '$4) ON CONFLICT (id) DO NOTHING',
          [event.data.deploymentId, event.data.organisationId, event.data.name, at],
        );
      } else if (event?.type === IdentityEvents.RoleCreated) {
        await tx.execute(
          'INSERT INTO identity_roles (id, name, permissions, created_at) VALUES ($1, $2, $3, $4) ON ' +
            'CONFLICT (id) DO NOTHING',
          [event.data.roleId, event.data.name, JSON.stringify(event.data.permissions), at],
        );
      }
    }
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.execute('DELETE FROM identity_deployments');
    await tx.execute('DELETE FROM identity_roles');
  }
}
