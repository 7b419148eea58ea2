import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { readModelSetup } from '@app/event-processing';
import { BOOTSTRAP_SETTINGS, type BootstrapSettings, IdentityBootstrap } from './application/bootstrap.service';
import { DeploymentAccess } from './application/deployment-access';
import { IdentityDirectory } from './application/identity-directory';
import { LoginService } from './application/login.service';
import { CreateCustomRoleHandler } from './application/organisation/create-custom-role';
import { ChangeDeploymentSettingsHandler } from './application/deployments/change-deployment-settings';
import { CreateDeploymentHandler } from './application/deployments/create-deployment';
import { PasswordHasher } from './application/password-hasher';
import { PATIENT_ACCOUNTS, PatientAccountsService } from './application/patient-accounts';
import { CreateStaffAccountHandler } from './application/staff/create-staff-account';
import { GetStaffHandler } from './application/staff/get-staff';
import { ListStaffHandler } from './application/staff/list-staff';
import { SetStaffActivationHandler } from './application/staff/set-staff-activation';
import { StaffAccess } from './application/staff/staff-access';
import { UpdateStaffHandler } from './application/staff/update-staff';
import { AccessTokenGuard, PermissionGuard } from './auth/guards';
import { JWT_SECRET, JwtStrategy } from './auth/jwt.strategy';
import { AuthController } from './http/auth.controller';
import { OrganisationController } from './http/organisation.controller';
import { StaffController } from './http/staff.controller';
import { RefreshTokens } from './sessions/refresh-tokens';
import { FailedLogins } from './sessions/failed-logins';
import { Passwords } from './application/passwords/passwords';
import { PasswordResets } from './application/passwords/password-resets';
import { IDENTITY_LINK_SETTINGS, IdentityLinks, type IdentityLinkSettings } from './application/identity-links';
import { PasswordResetController } from './http/password-reset.controller';
import { StaffInvitationController } from './http/staff-invitation.controller';
import { ServiceAccounts } from './application/service-accounts/service-accounts';
import { ServiceAccountsController } from './http/service-accounts.controller';
import { OAuthController } from './http/oauth.controller';
import { StaffInvitations } from './application/staff/staff-invitations';
import { MeController } from './http/me.controller';
import { identityMigrations } from './read-model/identity-schema';
import { IdentityProjection } from './read-model/identity.projection';
import { StaffDirectoryProjection } from './read-model/staff-directory.projection';

export interface IdentityModuleOptions {
  jwtSecret: string;
  bootstrap: BootstrapSettings;
  /** log2 of scrypt's N. */
  passwordHashCost: number;
  /** Keys and base URL for the links identity emails (password reset). */
  links: IdentityLinkSettings;
}

/**
 * Staff and patient accounts, roles, deployments, login, and the guards every endpoint goes through. Global:
 * every context asks it.
 */
@Global()
@Module({})
export class IdentityModule {
  static forRoot(options: IdentityModuleOptions): DynamicModule {
    return {
      module: IdentityModule,
      imports: [
        CqrsModule,
        PassportModule,
        JwtModule.register({ secret: options.jwtSecret, signOptions: { algorithm: 'HS256' } }),
      ],
      controllers: [
        AuthController,
        MeController,
        OrganisationController,
        StaffController,
        PasswordResetController,
        StaffInvitationController,
        ServiceAccountsController,
        OAuthController,
      ],
      providers: [
        readModelSetup('identity', identityMigrations, () => [
          new IdentityProjection(),
          new StaffDirectoryProjection(),
        ]),
        IdentityDirectory,
        DeploymentAccess,
        CreateStaffAccountHandler,
        StaffAccess,
        UpdateStaffHandler,
        SetStaffActivationHandler,
        ListStaffHandler,
        GetStaffHandler,
        CreateDeploymentHandler,
        ChangeDeploymentSettingsHandler,
        CreateCustomRoleHandler,
        LoginService,
        RefreshTokens,
        FailedLogins,
        Passwords,
        PasswordResets,
        IdentityLinks,
        StaffInvitations,
        ServiceAccounts,
        { provide: IDENTITY_LINK_SETTINGS, useValue: options.links },
        IdentityBootstrap,
        PatientAccountsService,
        JwtStrategy,
        { provide: PATIENT_ACCOUNTS, useExisting: PatientAccountsService },
        { provide: PasswordHasher, useValue: new PasswordHasher(options.passwordHashCost) },
        { provide: JWT_SECRET, useValue: options.jwtSecret },
        { provide: BOOTSTRAP_SETTINGS, useValue: options.bootstrap },
        { provide: APP_GUARD, useClass: AccessTokenGuard },
        { provide: APP_GUARD, useClass: PermissionGuard },
      ],
      exports: [PATIENT_ACCOUNTS, DeploymentAccess, IdentityDirectory, LoginService, PasswordResets, StaffInvitations],
    };
  }
}
