import type { JsonObject, RecordedEvent } from '@app/event-store';
import { occurredAt } from '@app/event-store';
import { actorIdOf } from '../../domain/invitation-events';
import type { ActorNames } from '../actor-names';
import { withoutSecrets } from './without-secrets';

export interface FeedEntry {
  position: string;
  streamId: string;
  id: string;
  type: string;
  revision: number;
  occurredAt: string;
  metadata: JsonObject;
  /** The acting member of staff's or service account's name, from the directory; null for patients and the system. */
  actorName: string | null;
  data: JsonObject;
}

/** Events as auditors read them (feed and export): staff names beside their ids, nothing secret in the data. */
export async function feedEntries(
  recorded: readonly RecordedEvent[],
  names: Pick<ActorNames, 'of'>,
): Promise<FeedEntry[]> {
  const known = await names.of(recorded.map(actorIdOf));
  return recorded.map((e) => ({
    position: e.position,
    streamId: e.streamId,
    id: e.id,
    type: e.type,
    revision: Number(e.revision),
    occurredAt: occurredAt(e),
    metadata: e.metadata,
    actorName: known.get(actorIdOf(e)) ?? null,
    data: withoutSecrets(e.data),
  }));
}
