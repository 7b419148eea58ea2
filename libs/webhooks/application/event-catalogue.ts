import { IdentityEvents } from '@app/identity';
import { InvitationEvents } from '@app/invitations';
import { MailEvents } from '@app/notifications';
import { WebhookEvents } from '../domain/webhook-events';

/** Every event type the service writes (docs/events.md): what an endpoint may subscribe to. */
export const EVENT_CATALOGUE: ReadonlySet<string> = new Set([
  ...Object.values(InvitationEvents),
  ...Object.values(IdentityEvents),
  ...Object.values(MailEvents),
  'PersonalDataErased',
  ...Object.values(WebhookEvents),
]);
