import { hash } from 'node:crypto';
import type { StoredEvent } from '@app/event-store';

/** The hash before the first event: 64 zeros. */
export const GENESIS = '0'.repeat(64);

/**
 * The form of an event the chain hashes: its envelope and its data and metadata as the store keeps
 * them, as one JSON array. The position is left out (the chain's order holds it), so the same
 * events copied to another store in the same order give the same chain.
 */
export function canonicalEvent(event: StoredEvent): string {
  return (
    `[${JSON.stringify(event.id)},${JSON.stringify(event.streamId)},"${event.revision}",` +
    `${JSON.stringify(event.type)},${event.schemaVersion},"${event.recordedAt}",` +
    `${event.data},${event.metadata}]`
  );
}

/**
 * SHA-256 of the previous hash (as its 64 hex digits) followed by the canonical event, UTF-8, in hex:
 * each link commits to every event before it.
 */
export function chainHash(previous: string, event: StoredEvent): string {
  return hash('sha256', previous + canonicalEvent(event), 'hex');
}
