import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ProblemException } from '@app/problem-details';
import { DeploymentAccess } from '../application/deployment-access';
import type { Principal } from '../domain/principal';
import { hasPermission } from '../domain/principal';
import type { Permission } from '../domain/roles';
import { DEPLOYMENT_PARAM, OPTIONAL_AUTH, PUBLIC_ROUTE, REQUIRED_PERMISSION, STAFF_ONLY } from './decorators';

/** 401 without a valid token, on every route not marked @Public(). */
@Injectable()
export class AccessTokenGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    if (!this.reflector.getAllAndOverride<boolean>(OPTIONAL_AUTH, targets))
      return (await super.canActivate(context)) as boolean;
    // Optional: a caller we cannot identify (no or bad token, identity store down) is served as anonymous.
    await Promise.resolve(super.canActivate(context)).catch(() => undefined);
    return true;
  }

  override handleRequest<T>(error: unknown, principal: T): T {
    if (error || !principal) throw new ProblemException(401, 'unauthorized', 'A valid access token is required');
    return principal;
  }
}

/** Then 403 when the role lacks the permission anywhere, then 404 outside the caller's deployments. */
@Injectable()
export class PermissionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: DeploymentAccess,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(REQUIRED_PERMISSION, targets);
    const param = this.reflector.getAllAndOverride<string | undefined>(DEPLOYMENT_PARAM, targets);
    const staffOnly = this.reflector.getAllAndOverride<boolean | undefined>(STAFF_ONLY, targets);
    if (!permission && !param && !staffOnly) return true;
    const request = context.switchToHttp().getRequest<{ user: Principal; params: Record<string, string> }>();
    if (request.user.kind !== 'staff' && (staffOnly || permission)) {
      throw new ProblemException(403, 'forbidden', 'This is for staff');
    }
    if (permission && !hasPermission(request.user, permission)) {
      throw new ProblemException(403, 'forbidden', `This needs the ${permission} permission`);
    }
    if (param && !(await this.access.canActIn(request.user, request.params[param]))) {
      throw new ProblemException(404, 'not_found', 'No such deployment');
    }
    return true;
  }
}
