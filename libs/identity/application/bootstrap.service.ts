import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { EmailAddress } from '@app/email-address';
import { CLOCK, type Clock } from '@app/clock';
import {
  EVENT_STORE,
  type EventStore,
  handleCommand,
  systemContext,
  WrongExpectedRevisionError,
} from '@app/event-store';
import { IdentityError } from '../domain/identity-error';
import { streams } from '../domain/identity-events';
import { bootstrapOrganisation } from '../domain/organisation';
import { BUILT_IN_ROLES } from '../domain/roles';
import { IdentityDirectory } from './identity-directory';
import { PasswordHasher } from './password-hasher';
import { newStreamAppends } from './new-stream-appends';
import { assertStrongPassword } from './password-policy';

export interface BootstrapSettings {
  adminEmail?: string;
  adminPassword?: string;
  production: boolean;
  /** false in tools that must not write (the replay script). */
  enabled?: boolean;
}
export const BOOTSTRAP_SETTINGS = Symbol('BootstrapSettings');
const DEVELOPMENT_ADMIN_EMAIL = 'admin@patient-invitations.test';

/**
 * On an empty store: one organisation, "Default deployment" and an Admin, in one atomic write guarded
 * by a bootstrap stream created with no_stream, so restarts and instances starting together make one.
 */
@Injectable()
export class IdentityBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('Bootstrap');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(BOOTSTRAP_SETTINGS) private readonly settings: BootstrapSettings,
    private readonly directory: IdentityDirectory,
    private readonly hasher: PasswordHasher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.settings.enabled !== false) await this.run();
  }

  /** Returns true when this call created the organisation. */
  async run(): Promise<boolean> {
    for await (const _ of this.store.readStream(streams.bootstrap(), { maxCount: 1 })) return false;
    const { email, password, generated } = this.adminCredentials();
    const [organisationId, deploymentId, adminId] = [randomUUID(), randomUUID(), randomUUID()];
    const context = systemContext(this.clock.now());
    await this.directory.storeCredential(adminId, await this.hasher.hash(password), context.now);
    const decided = bootstrapOrganisation({ organisationId, deploymentId, adminId }, email, BUILT_IN_ROLES[0]);
    const created = await handleCommand(
      this.store,
      async () => ({ appends: newStreamAppends(decided, context), result: true }),
      { attempts: 1 },
    ).catch(async (error: unknown) => {
      await this.directory.dropCredential(adminId);
      if (error instanceof WrongExpectedRevisionError) return false; // another instance bootstrapped first
      throw error;
    });
    if (!created) return false;
    if (generated) {
      // API.md: in development the generated password is printed once, here, and never again.
      this.logger.warn(
        `Created the first Admin: ${email} with the generated password ${password} (development only; change it)`,
      );
    } else {
      this.logger.log(`Created the first Admin: ${email}`);
    }
    return true;
  }

  private adminCredentials(): { email: string; password: string; generated: boolean } {
    const { adminEmail, adminPassword, production } = this.settings;
    if (production && (!adminEmail || !adminPassword)) {
      throw new IdentityError(
        'bootstrap_admin_missing',
        'The store is empty: BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD are ' +
          'required in production to create the first Admin',
      );
    }
    const email = EmailAddress.parse(adminEmail ?? DEVELOPMENT_ADMIN_EMAIL).value;
    if (adminPassword) {
      assertStrongPassword(adminPassword);
      return { email, password: adminPassword, generated: false };
    }
    return { email, password: randomBytes(18).toString('base64url'), generated: true };
  }
}
