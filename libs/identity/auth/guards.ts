import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ProblemException } from '@app/problem-details';
import { DeploymentAccess } from '../application/deployment-access';
import type { Principal } from '../domain/principal';
import { hasPermission, hasServiceScope } from '../domain/principal';
import type { Permission, ServiceScope } from '../domain/roles';
import {
  DEPLOYMENT_PARAM,
  OPTIONAL_AUTH,
  PUBLIC_ROUTE,
  REQUIRED_PERMISSION,
  SERVICE_SCOPE,
  STAFF_ONLY,
} from './decorators';

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

/**
 * Then 403 when the role lacks the permission anywhere (a service account: when the route is not open
 * to service accounts, or its token lacks the route's scope), then 404 outside the caller's deployments.
 */
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
    const request = context.switchToHttp().getRequest<{ user?: Principal; params: Record<string, string> }>();
    if (request.user?.kind === 'service') {
      // A service account reaches only the routes opened to it, each with the scope it names.
      const scope = this.reflector.getAllAndOverride<ServiceScope | 'any' | undefined>(SERVICE_SCOPE, targets);
      if (!scope) throw new ProblemException(403, 'forbidden', 'Service accounts may not call this');
      if (scope !== 'any' && !hasServiceScope(request.user, scope))
        throw new ProblemException(403, 'forbidden', `This needs the ${scope} scope`);
    } else if (!permission && !param && !staffOnly) return true;
    if (!request.user) return true;
    if (request.user.kind === 'patient' && (staffOnly || permission)) {
      throw new ProblemException(403, 'forbidden', 'This is for staff');
    }
    if (permission && request.user.kind === 'staff' && !hasPermission(request.user, permission)) {
      throw new ProblemException(403, 'forbidden', `This needs the ${permission} permission`);
    }
    if (param && !(await this.access.canActIn(request.user, request.params[param]))) {
      throw new ProblemException(404, 'not_found', 'No such deployment');
    }
    return true;
  }
}
