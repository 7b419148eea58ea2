import { randomUUID } from 'node:crypto';
import type { JsonObject, NewEvent, RecordedEvent } from './event-store';

/** Who did it: every event says, so an auditor can answer "who, when, why" years later. */
export interface Actor {
  type: 'staff' | 'patient' | 'service' | 'system';
  id: string;
}

export interface EventContext {
  actor: Actor;
  correlationId: string;
  /** The event or request that caused this one. */
  causationId: string;
  now: Date;
  /** The deployment the events belong to: stored with each event, so feeds filter by it through an index. */
  deploymentId?: string;
}

export interface DomainEvent<T extends string = string, D extends JsonObject = JsonObject> {
  type: T;
  schemaVersion?: number;
  data: D;
}

/** Wraps domain events into store events with the metadata every event carries. */
export function toNewEvents(
  events: readonly DomainEvent[],
  context: EventContext,
  ids?: readonly string[],
): NewEvent[] {
  return events.map((event, i) => {
    const deploymentId =
      context.deploymentId ?? (typeof event.data.deploymentId === 'string' ? event.data.deploymentId : undefined);
    return {
      id: ids?.[i] ?? randomUUID(),
      type: event.type,
      schemaVersion: event.schemaVersion ?? 1,
      data: event.data,
      metadata: {
        actor: { type: context.actor.type, id: context.actor.id },
        correlationId: context.correlationId,
        causationId: context.causationId,
        occurredAt: context.now.toISOString(),
        ...(deploymentId ? { deploymentId } : {}),
      },
    };
  });
}

/** The same context, for events that belong to one deployment. */
export function inDeployment(context: EventContext, deploymentId: string): EventContext {
  return { ...context, deploymentId };
}

export const SYSTEM_ACTOR: Actor = { type: 'system', id: '00000000-0000-0000-0000-000000000000' };

export function systemContext(now: Date, cause = randomUUID()): EventContext {
  return { actor: SYSTEM_ACTOR, correlationId: cause, causationId: cause, now };
}

/** The context of events a request causes: the request's id correlates and causes them. */
export function requestContext(actor: Actor, correlationId: string, now: Date): EventContext {
  return { actor: { ...actor }, correlationId, causationId: correlationId, now };
}

/** When it happened: the service clock's time in the event's metadata, else when the store recorded it. */
export function occurredAt(event: Pick<RecordedEvent, 'metadata'> & { recordedAt: Date | string }): string {
  if (typeof event.metadata.occurredAt === 'string') return event.metadata.occurredAt;
  return typeof event.recordedAt === 'string' ? event.recordedAt : event.recordedAt.toISOString();
}
