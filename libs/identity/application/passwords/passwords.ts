import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CLOCK, type Clock } from '@app/clock';
import { type Actor, EVENT_STORE, type EventStore, handleCommand, requestContext, toNewEvents } from '@app/event-store';
import { type AccountKind, type PasswordChangedData, streams } from '../../domain/identity-events';
import { changePassword } from '../../domain/password-change';
import { RefreshTokens } from '../../sessions/refresh-tokens';
import { IdentityDirectory } from '../identity-directory';
import { PasswordHasher } from '../password-hasher';
import { assertStrongPassword } from '../password-policy';

export interface PasswordChange {
  kind: AccountKind;
  accountId: string;
  password: unknown;
  reason: PasswordChangedData['reason'];
  actor: Actor;
  correlationId: string;
  /** The account's revision the change was decided at (a reset link: used once); default: any. */
  expectedRevision?: bigint;
}

/**
 * Sets an account's password: the hash is stored first under a new credential id, then the event
 * that names it is written, so whichever lands carries its own password. Every session of the
 * account ends, and access tokens issued before the change are refused.
 */
@Injectable()
export class Passwords {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly directory: IdentityDirectory,
    private readonly hasher: PasswordHasher,
    private readonly sessions: RefreshTokens,
  ) {}

  /** Whether `password` is the account's current one (one hash verification). */
  async isCurrent(kind: AccountKind, accountId: string, password: unknown): Promise<boolean> {
    const secret = typeof password === 'string' ? password : '';
    return this.hasher.verify(secret, await this.directory.credentialOf(kind, accountId));
  }

  async set(change: PasswordChange): Promise<void> {
    assertStrongPassword(change.password);
    const credentialId = randomUUID();
    const now = this.clock.now();
    await this.directory.storeCredential(credentialId, await this.hasher.hash(change.password), now);
    const stream = change.kind === 'staff' ? streams.staff(change.accountId) : streams.patient(change.accountId);
    const events = changePassword(change.accountId, credentialId, change.reason);
    const context = requestContext(change.actor, change.correlationId, now);
    try {
      // Only this event goes to an account that exists: whatever else was written meanwhile, it stands.
      await handleCommand(
        this.store,
        async () => ({
          appends: [
            {
              stream,
              expectedRevision: change.expectedRevision ?? 'stream_exists',
              events: toNewEvents(events, context),
            },
          ],
          result: undefined,
        }),
        { attempts: 1 },
      );
    } catch (error) {
      await this.directory.dropCredential(credentialId);
      throw error;
    }
    await this.sessions.endAll(change.accountId);
  }
}
