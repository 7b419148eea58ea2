import { type EventContext, inDeployment, requestContext } from '@app/event-store';
import { actorOf, type Operator } from '@app/identity';

/**
 * The context of events a member of staff or a service account causes in a deployment: who (named as
 * what they are), which request, when, where.
 */
export function operatorContext(
  operator: Operator,
  correlationId: string,
  now: Date,
  deploymentId: string,
): EventContext {
  return inDeployment(requestContext(actorOf(operator), correlationId, now), deploymentId);
}
