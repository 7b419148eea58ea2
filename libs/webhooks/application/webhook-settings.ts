import type { WebhookNetworkPolicy } from './webhook-network-policy';
import type { SigningKey } from './webhook-signatures';

/** The server keys endpoint secrets are derived from (the newest signs new endpoints) and where deliveries may go. */
export interface WebhookSettings {
  keys: readonly SigningKey[];
  network: WebhookNetworkPolicy;
  /** false: deliveries run only when started by hand (the replay and admin scripts). */
  autoStart: boolean;
}

export const WEBHOOK_SETTINGS = Symbol('WebhookSettings');
