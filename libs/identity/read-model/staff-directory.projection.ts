import { type Processor } from '@app/event-processing';
import { occurredAt, type RecordedEvent } from '@app/event-store';
import { type SqlExecutor } from '@app/sql';
import { IdentityEvents, identityEventOf } from '../domain/identity-events';

const STAFF_EVENTS = [
  IdentityEvents.StaffAccountCreated,
  IdentityEvents.StaffRoleAssigned,
  IdentityEvents.StaffRenamed,
  IdentityEvents.StaffDeactivated,
  IdentityEvents.StaffReactivated,
  IdentityEvents.ServiceAccountCreated,
];

/**
 * The staff directory: who works here, in which role and deployments, active or not; and the names of
 * service accounts, so whatever one did is shown with its name as staff are with theirs.
 */
export class StaffDirectoryProjection implements Processor {
  readonly name = 'staff-directory';
  readonly filter = { types: STAFF_EVENTS };

  async handle(events: readonly RecordedEvent[], tx: SqlExecutor): Promise<void> {
    for (const recorded of events) await project(tx, recorded);
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.execute('DELETE FROM staff_directory_deployments');
    await tx.execute('DELETE FROM staff_directory');
    await tx.execute('DELETE FROM service_account_names');
  }
}

async function project(tx: SqlExecutor, recorded: RecordedEvent): Promise<void> {
  const event = identityEventOf(recorded);
  switch (event?.type) {
    case 'StaffAccountCreated':
      await tx.execute(
        `INSERT INTO staff_directory (id, email, name, role, scope, status, created_at)
         VALUES ($1, $2, NULL, 'Contributor', 'deployments', 'active', $3) ON CONFLICT (id) DO NOTHING`,
        [event.data.staffId, event.data.email, occurredAt(recorded)],
      );
      return;
    case 'StaffRoleAssigned': {
      const { staffId, role, scope, deploymentIds } = event.data;
      await tx.execute('UPDATE staff_directory SET role = $2, scope = $3 WHERE id = $1', [staffId, role, scope]);
      await tx.execute('DELETE FROM staff_directory_deployments WHERE staff_id = $1', [staffId]);
      for (const deploymentId of scope === 'organisation' ? [] : deploymentIds)
        await tx.execute('INSERT INTO staff_directory_deployments (staff_id, deployment_id) VALUES ($1, $2)', [
          staffId,
          deploymentId,
        ]);
      return;
    }
    case 'StaffRenamed':
      await tx.execute('UPDATE staff_directory SET name = $2 WHERE id = $1', [event.data.staffId, event.data.name]);
      return;
    case 'StaffDeactivated':
    case 'StaffReactivated': {
      const status = event.type === 'StaffDeactivated' ? 'deactivated' : 'active';
      await tx.execute('UPDATE staff_directory SET status = $2 WHERE id = $1', [event.data.staffId, status]);
      return;
    }
    case 'ServiceAccountCreated':
      await tx.execute('INSERT INTO service_account_names (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [
        event.data.serviceAccountId,
        event.data.name,
      ]);
      return;
    default:
      return;
  }
}
