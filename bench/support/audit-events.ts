import { randomUUID } from 'node:crypto';
import type { NewEvent } from '@app/event-store';

/** Shaped like an invitation event (a nonce the export strips, an actor it names), in a category no processor reads. */
export function auditEvent(n: number, deploymentId: string, actorId: string): NewEvent {
  return {
    id: randomUUID(),
    type: 'BenchInvitationIssued',
    schemaVersion: 1,
    data: {
      invitationId: randomUUID(),
      deploymentId,
      email: `patient${n}@example.org`,
      channel: 'email',
      expiresAt: '2030-01-01T00:00:00.000Z',
      expiresIn: '7d',
      nonce: 'x'.repeat(22),
    },
    metadata: {
      actor: { type: 'staff', id: actorId },
      correlationId: randomUUID(),
      causationId: randomUUID(),
      occurredAt: new Date().toISOString(),
      deploymentId,
    },
  };
}
