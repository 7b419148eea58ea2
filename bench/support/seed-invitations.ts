import { randomUUID } from 'node:crypto';
import type { EventStore, StreamAppend } from '@app/event-store';

/** InvitationIssued events, as the service writes them, appended below the personal-data sealing (it would take minutes). */
export async function seedInvitations(
  store: EventStore,
  count: number,
  deploymentId: string,
  staffId: string,
): Promise<void> {
  const inner = (store as unknown as { inner: EventStore }).inner;
  const start = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 0; i < count; i += 20_000) {
    const appends: StreamAppend[] = [];
    for (let j = i; j < Math.min(count, i + 20_000); j++) {
      const invitationId = randomUUID();
      const issuedAt = new Date(start + j * 1000).toISOString();
      appends.push({
        stream: `invitation-${invitationId}`,
        expectedRevision: 'no_stream',
        events: [
          {
            id: randomUUID(),
            type: 'InvitationIssued',
            schemaVersion: 1,
            data: {
              invitationId,
              email: `patient${j}@example.org`,
              deploymentId,
              channel: 'email',
              linkId: null,
              expiresAt: new Date(Date.parse(issuedAt) + 365 * 86_400_000 * 2).toISOString(),
              expiresIn: '1y',
              nonce: randomUUID(),
            },
            metadata: {
              actor: { type: 'staff', id: staffId },
              correlationId: randomUUID(),
              causationId: randomUUID(),
              occurredAt: issuedAt,
              deploymentId,
            },
          },
        ],
      });
    }
    await inner.appendToStreams(appends);
  }
}
