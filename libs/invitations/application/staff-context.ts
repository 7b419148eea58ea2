import { type EventContext, inDeployment, requestContext } from '@app/event-store';
import type { Principal } from '@app/identity';

/** The context of events a member of staff causes in a deployment: who, which request, when, where. */
export function staffContext(
  principal: Principal,
  correlationId: string,
  now: Date,
  deploymentId: string,
): EventContext {
  return inDeployment(requestContext({ type: 'staff', id: principal.id }, correlationId, now), deploymentId);
}
