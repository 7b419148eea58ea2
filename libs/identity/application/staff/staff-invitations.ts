import { Inject, Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { CLOCK, type Clock } from '@app/clock';
import { EmailAddress } from '@app/email-address';
import {
  EVENT_STORE,
  type EventStore,
  foldStream,
  handleCommand,
  requestContext,
  toNewEvents,
  WrongExpectedRevisionError,
} from '@app/event-store';
import { type ExpiryWindowName, tokenMatches } from '@app/link-tokens';
import { IdentityError } from '../../domain/identity-error';
import { streams } from '../../domain/identity-events';
import type { StaffPrincipal } from '../../domain/principal';
import {
  acceptStaffInvitation,
  checkStaffInvitationOpen,
  evolveStaffInvitation,
  inviteStaff,
  type StaffInvitation,
} from '../../domain/staff-invitation';
import { DeploymentAccess } from '../deployment-access';
import { IdentityDirectory } from '../identity-directory';
import { newStreamAppends } from '../new-stream-appends';
import { IdentityLinks } from '../identity-links';
import { PasswordHasher } from '../password-hasher';
import { assertStrongPassword } from '../password-policy';

export interface StaffInvitationInput {
  email: string;
  name?: string;
  role: string;
  deploymentIds?: string[];
  expiresIn?: ExpiryWindowName;
}

/**
 * Staff join by invitation, not by a password someone else chose: the invitation grants the role
 * (within what the inviter holds) and emails a one-time link, built as patient links are; whoever
 * opens it sets their own name and password, and the account is made then.
 */
@Injectable()
export class StaffInvitations {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly links: IdentityLinks,
    private readonly directory: IdentityDirectory,
    private readonly access: DeploymentAccess,
    private readonly hasher: PasswordHasher,
  ) {}

  async invite(inviter: StaffPrincipal, input: StaffInvitationInput, correlationId: string) {
    const email = EmailAddress.parse(input.email).value;
    if (await this.directory.accountIdByEmail('staff', email))
      throw new IdentityError('staff_email_taken', 'A staff account with this email address exists', 'email');
    const role = await this.directory.role(input.role);
    if (!role) throw new IdentityError('unknown_role', `No role named ${input.role}`, 'role');
    const deploymentIds = input.deploymentIds ?? [];
    const knownDeployments = new Set<string>();
    for (const id of new Set(deploymentIds)) if (await this.access.canActIn(inviter, id)) knownDeployments.add(id);
    const invitationId = randomUUID();
    const now = this.clock.now();
    const events = inviteStaff(inviter, {
      invitationId,
      email,
      name: input.name ?? null,
      role,
      deploymentIds,
      knownDeployments,
      expiresIn: input.expiresIn ?? '7d',
      nonce: randomBytes(16).toString('base64url'),
      now,
    });
    const context = requestContext({ type: 'staff', id: inviter.id }, correlationId, now);
    const stream = streams.staffInvitation(invitationId);
    await handleCommand(this.store, async () => ({
      appends: [{ stream, expectedRevision: 'no_stream', events: toNewEvents(events, context) }],
      result: undefined,
    }));
    const data = events[0].data as { expiresAt: string };
    return { id: invitationId, email, name: input.name ?? null, role: role.name, expiresAt: data.expiresAt };
  }

  /** What the invitation page shows; a GET, it changes nothing. */
  async peek(token: string) {
    const { state } = await this.resolve(token);
    checkStaffInvitationOpen(state, this.clock.now());
    return { email: state.email, name: state.name, role: state.role, expiresAt: state.expiresAt };
  }

  /** The account, made now with the holder's own password; the link works once. */
  async accept(token: string, name: string | undefined, password: unknown, correlationId: string) {
    const { state, revision } = await this.resolve(token);
    const now = this.clock.now();
    checkStaffInvitationOpen(state, now);
    assertStrongPassword(password);
    const staffId = randomUUID();
    await this.directory.storeCredential(staffId, await this.hasher.hash(password), now);
    const decided = acceptStaffInvitation(state, staffId, name ?? null, now);
    const context = requestContext({ type: 'staff', id: staffId }, correlationId, now);
    try {
      await handleCommand(
        this.store,
        async () => ({
          appends: [
            {
              stream: streams.staffInvitation(state.invitationId),
              expectedRevision: revision,
              events: toNewEvents(decided.invitation, context),
            },
            ...newStreamAppends(decided.account, context),
          ],
          result: undefined,
        }),
        { attempts: 1 },
      );
    } catch (error) {
      await this.directory.dropCredential(staffId);
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      if (error.stream === streams.staffInvitation(state.invitationId))
        throw new IdentityError('staff_invitation_used', 'This invitation was used already: sign in instead');
      throw new IdentityError('staff_email_taken', 'A staff account with this email address exists', 'email');
    }
    return { id: staffId, email: state.email };
  }

  url(invitationId: string, nonce: string): string {
    return this.links.url('staff-invite', 'staff-invitation', invitationId, nonce);
  }

  async isCurrent(invitationId: string, nonce: string): Promise<boolean> {
    const { state } = await this.load(invitationId);
    return (
      !!state && state.nonce === nonce && !state.acceptedBy && Date.parse(state.expiresAt) > this.clock.now().getTime()
    );
  }

  private async resolve(raw: string): Promise<{ state: StaffInvitation; revision: bigint }> {
    const read = this.links.read(raw);
    const { state, revision } = read ? await this.load(read.token.subjectId) : { state: null, revision: null };
    if (!read || !state || revision === null || !tokenMatches('staff-invitation', read.key, read.token, state.nonce))
      throw new IdentityError('invalid_staff_invitation', 'This invitation link is not valid');
    return { state, revision };
  }

  private load(invitationId: string) {
    return foldStream<StaffInvitation | null>(
      this.store,
      streams.staffInvitation(invitationId),
      null,
      evolveStaffInvitation,
    );
  }
}
