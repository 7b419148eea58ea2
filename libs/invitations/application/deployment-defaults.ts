import { Injectable } from '@nestjs/common';
import { DEFAULT_DEPLOYMENT_SETTINGS, type DeploymentSettings, IdentityDirectory } from '@app/identity';
import { ExpiryWindow } from '../domain/expiry-window';

/** What a deployment's settings decide for invitations, read from its stream (current the moment it changes). */
@Injectable()
export class DeploymentDefaults {
  constructor(private readonly directory: IdentityDirectory) {}

  async settings(deploymentId: string): Promise<DeploymentSettings> {
    return (await this.directory.deployment(deploymentId))?.settings ?? DEFAULT_DEPLOYMENT_SETTINGS;
  }

  /** The window staff asked for, or the deployment's default when they named none. */
  async expiryWindow(deploymentId: string, requested: unknown): Promise<ExpiryWindow> {
    if (requested !== undefined) return ExpiryWindow.parse(requested);
    return ExpiryWindow.parse((await this.settings(deploymentId)).defaultExpiresIn);
  }
}
