import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Operator, Principal, StaffPrincipal } from '../domain/principal';
import type { Permission, ServiceScope as ServiceScopeName } from '../domain/roles';

export const PUBLIC_ROUTE = 'identity:public';
export const REQUIRED_PERMISSION = 'identity:permission';
export const DEPLOYMENT_PARAM = 'identity:deployment-param';
export const STAFF_ONLY = 'identity:staff-only';
export const OPTIONAL_AUTH = 'identity:optional-auth';
export const SERVICE_SCOPE = 'identity:service-scope';

/** No access token needed (login, patient endpoints, health). Everything else requires one. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Anyone may call; a valid token, when sent, makes the caller known (`request.user`), an invalid one is ignored. */
export const OptionalAuth = () => SetMetadata(OPTIONAL_AUTH, true);

/** 403 unless the caller's role holds the permission. */
export const RequirePermission = (permission: Permission) => SetMetadata(REQUIRED_PERMISSION, permission);

/** 403 for patients: staff endpoints that need no particular permission. */
export const RequireStaff = () => SetMetadata(STAFF_ONLY, true);

/**
 * Opens the route to service accounts whose token holds `scope` (`any`: every service account). Staff
 * still need the route's permission; routes without this refuse service accounts with 403.
 */
export const OpenToServices = (scope: ServiceScopeName | 'any') => SetMetadata(SERVICE_SCOPE, scope);

/** 404 unless the caller may act in the deployment named by this route parameter. */
export const DeploymentScoped = (param = 'deploymentId') => SetMetadata(DEPLOYMENT_PARAM, param);

export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  return context.switchToHttp().getRequest().user;
});

/** For endpoints that already required a staff permission: the caller, typed as staff. */
export const CurrentStaff = createParamDecorator((_: unknown, context: ExecutionContext): StaffPrincipal => {
  return context.switchToHttp().getRequest().user;
});

/** For endpoints open to staff with a permission and to service accounts with a scope: the caller. */
export const CurrentOperator = createParamDecorator((_: unknown, context: ExecutionContext): Operator => {
  return context.switchToHttp().getRequest().user;
});
