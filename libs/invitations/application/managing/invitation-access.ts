import { Injectable } from '@nestjs/common';
import { DeploymentAccess, type Principal } from '@app/identity';
import { InvitationError } from '../../domain/invitation-error';
import { InvitationRepository, type Loaded } from '../invitation-repository';
import type { Invitation } from '../../domain/invitation';
import type { InvitationLink } from '../../domain/invitation-link';

/** Loads an invitation or link for a caller: outside the caller's deployments it does not exist (404). */
@Injectable()
export class InvitationAccess {
  constructor(
    private readonly repository: InvitationRepository,
    private readonly deployments: DeploymentAccess,
  ) {}

  async invitation(principal: Principal, id: string): Promise<Loaded<Invitation>> {
    const loaded = await this.repository.invitation(id);
    if (!loaded || !(await this.deployments.canActIn(principal, loaded.state.deploymentId))) {
      throw new InvitationError('invitation_not_found', 'No such invitation');
    }
    return loaded;
  }

  async link(principal: Principal, id: string): Promise<Loaded<InvitationLink>> {
    const loaded = await this.repository.link(id);
    if (!loaded || !(await this.deployments.canActIn(principal, loaded.state.deploymentId))) {
      throw new InvitationError('link_not_found', 'No such shareable link');
    }
    return loaded;
  }
}
