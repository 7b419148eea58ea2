import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { EmailAddress } from '@app/email-address';
import { CLOCK, type Clock } from '@app/clock';
import { EVENT_STORE, type EventStore, handleCommand, requestContext } from '@app/event-store';
import { IdentityError } from '../../domain/identity-error';
import type { StaffPrincipal } from '../../domain/principal';
import { createStaffAccount } from '../../domain/staff-account';
import { DeploymentAccess } from '../deployment-access';
import { IdentityDirectory } from '../identity-directory';
import { newStreamAppends } from '../new-stream-appends';
import { PasswordHasher } from '../password-hasher';
import { assertStrongPassword } from '../password-policy';

export interface StaffAccountInput {
  email: string;
  password: string;
  role: string;
  deploymentIds?: string[];
  name?: string;
}

export interface CreatedStaffAccount {
  id: string;
  email: string;
  role: string;
}

export class CreateStaffAccount extends Command<CreatedStaffAccount> {
  constructor(
    readonly grantor: StaffPrincipal,
    readonly input: StaffAccountInput,
    readonly correlationId: string,
  ) {
    super();
  }
}

/** The password's hash is stored first under the new id; when the write does not land it goes again. */
@CommandHandler(CreateStaffAccount)
export class CreateStaffAccountHandler implements ICommandHandler<CreateStaffAccount> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly directory: IdentityDirectory,
    private readonly access: DeploymentAccess,
    private readonly hasher: PasswordHasher,
  ) {}

  async execute({ grantor, input, correlationId }: CreateStaffAccount): Promise<CreatedStaffAccount> {
    const email = EmailAddress.parse(input.email).value;
    assertStrongPassword(input.password);
    const role = await this.directory.role(input.role);
    if (!role) throw new IdentityError('unknown_role', `No role named ${input.role}`, 'role');
    const deploymentIds = input.deploymentIds ?? [];
    const knownDeployments = new Set<string>();
    for (const id of new Set(deploymentIds)) if (await this.access.canActIn(grantor, id)) knownDeployments.add(id);
    const staffId = randomUUID();
    const decided = createStaffAccount(grantor, {
      staffId,
      email,
      role,
      deploymentIds,
      knownDeployments,
      name: input.name,
    });

    const now = this.clock.now();
    await this.directory.storeCredential(staffId, await this.hasher.hash(input.password), now);
    const context = requestContext({ type: 'staff', id: grantor.id }, correlationId, now);
    try {
      return await handleCommand(
        this.store,
        async () => ({ appends: newStreamAppends(decided, context), result: { id: staffId, email, role: role.name } }),
        {
          // The address's stream exists: deciding again cannot change that.
          attempts: 1,
          onConflict: () => {
            throw new IdentityError('staff_email_taken', 'A staff account with this email address exists', 'email');
          },
        },
      );
    } catch (error) {
      await this.directory.dropCredential(staffId);
      throw error;
    }
  }
}
