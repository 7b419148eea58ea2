import { Injectable } from '@nestjs/common';
import type { Principal } from '../domain/principal';
import { IdentityDirectory } from './identity-directory';

/** The one place that decides whether a caller may act in a deployment. */
@Injectable()
export class DeploymentAccess {
  constructor(private readonly directory: IdentityDirectory) {}

  async canActIn(principal: Principal, deploymentId: string): Promise<boolean> {
    if (principal.kind === 'patient') return false;
    if (principal.scope === 'deployments' && !principal.deploymentIds.includes(deploymentId)) return false;
    const deployment = await this.directory.deployment(deploymentId);
    return deployment !== null && deployment.organisationId === principal.organisationId;
  }

  /** The deployments a caller may act in, with names, from the read model. */
  async deploymentsOf(principal: Principal): Promise<{ id: string; name: string }[]> {
    if (principal.kind === 'patient') return [];
    const all = await this.directory.listDeployments(principal.organisationId);
    return principal.scope === 'organisation' ? all : all.filter((d) => principal.deploymentIds.includes(d.id));
  }
}
