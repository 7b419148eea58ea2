import { IdentityError } from './identity-error';
import type { StaffPrincipal } from './principal';
import type { RoleDefinition } from './roles';

/**
 * Nobody grants more than they hold: every permission of the role, and a scope within their own.
 * `knownDeployments` are the requested ids that exist and that the grantor may act in.
 */
export function checkGrant(
  grantor: StaffPrincipal,
  role: RoleDefinition,
  deploymentIds: readonly string[],
  knownDeployments: ReadonlySet<string>,
): void {
  const missing = role.permissions.filter((p) => !grantor.permissions.includes(p));
  if (missing.length || (role.scope === 'organisation' && grantor.scope !== 'organisation')) {
    throw new IdentityError(
      'cannot_grant_role',
      `You cannot grant ${role.name}: it carries more than you hold`,
      'role',
    );
  }
  if (role.scope === 'organisation' && deploymentIds.length) {
    throw new IdentityError(
      'invalid_deployment_scope',
      `${role.name} acts in every deployment; give no deploymentIds`,
      'deploymentIds',
    );
  }
  if (role.scope === 'deployments') {
    if (!deploymentIds.length) {
      throw new IdentityError(
        'invalid_deployment_scope',
        `${role.name} acts only in its deployments; give at least one`,
        'deploymentIds',
      );
    }
    const unknown = deploymentIds.filter((id) => !knownDeployments.has(id));
    if (unknown.length) {
      throw new IdentityError(
        'invalid_deployment_scope',
        `Unknown deployments: ${unknown.join(', ')}`,
        'deploymentIds',
      );
    }
  }
}
