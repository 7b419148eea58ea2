import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EmailAddress } from '@app/email-address';
import {
  CLOCK,
  type Clock,
  EVENT_STORE,
  type EventStore,
  requestContext,
  toNewEvents,
  WrongExpectedRevisionError,
} from '@app/event-store';
import { checkGrant } from '../domain/grant-rules';
import { IdentityError } from '../domain/identity-error';
import { IdentityEvents, streams } from '../domain/identity-events';
import type { StaffPrincipal } from '../domain/principal';
import { IdentityDirectory } from './identity-directory';
import { PasswordHasher } from './password-hasher';
import { assertStrongPassword } from './password-policy';
import { DeploymentAccess } from './deployment-access';

export interface CreateStaff {
  email: string;
  password: string;
  role: string;
  deploymentIds?: string[];
}

@Injectable()
export class StaffAccounts {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly directory: IdentityDirectory,
    private readonly access: DeploymentAccess,
    private readonly hasher: PasswordHasher,
  ) {}

  async create(grantor: StaffPrincipal, input: CreateStaff, correlationId: string) {
    const email = EmailAddress.parse(input.email).value;
    assertStrongPassword(input.password);
    const role = await this.directory.role(input.role);
    if (!role) throw new IdentityError('unknown_role', `No role named ${input.role}`, 'role');
    const deploymentIds = [...new Set(input.deploymentIds ?? [])];
    const known = new Set<string>();
    for (const id of deploymentIds) if (await this.access.canActIn(grantor, id)) known.add(id);
    checkGrant(grantor, role, deploymentIds, known);

    const staffId = randomUUID();
    const now = this.clock.now();
    await this.directory.storeCredential(staffId, await this.hasher.hash(input.password), now);
    const context = requestContext({ type: 'staff', id: grantor.id }, correlationId, now);
    const assignment = {
      staffId,
      role: role.name,
      roleId: role.id,
      scope: role.scope,
      deploymentIds,
      permissions: [...role.permissions],
    };
    try {
      await this.store.appendToStreams([
        {
          stream: streams.emailReservation('staff', email),
          expectedRevision: 'no_stream',
          events: toNewEvents(
            [{ type: IdentityEvents.EmailAddressReserved, data: { accountId: staffId, kind: 'staff' } }],
            context,
          ),
        },
        {
          stream: streams.staff(staffId),
          expectedRevision: 'no_stream',
          events: toNewEvents(
            [
              {
                type: IdentityEvents.StaffAccountCreated,
                data: { staffId, email, organisationId: grantor.organisationId },
              },
              { type: IdentityEvents.StaffRoleAssigned, data: assignment },
            ],
            context,
          ),
        },
      ]);
    } catch (error) {
      await this.directory.dropCredential(staffId);
      if (error instanceof WrongExpectedRevisionError) {
        throw new IdentityError('staff_email_taken', 'A staff account with this email address exists', 'email');
      }
      throw error;
    }
    return { id: staffId, email, role: role.name };
  }
}
