import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageLimit } from '@app/request-context';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { EXPIRY_WINDOWS, type ExpiryWindowName } from '@app/link-tokens';
import { LANGUAGES, type Language, RETENTION_DAYS_MAX, SETTING_LIMITS } from '../domain/deployment-settings';
import { PERMISSIONS, type Permission, SERVICE_SCOPES, type ServiceScope } from '../domain/roles';

/** The type check sits nearest each property: class-validator runs it first, so a number is not "too long". */
export class LoginDto {
  @ApiProperty({ example: 'admin@example.org' })
  @MaxLength(320)
  @IsString()
  email!: string;

  @ApiProperty({ format: 'password' })
  @MaxLength(1024)
  @IsString()
  password!: string;
}

/** Who joins the staff and in which role: the same fields whether they are invited or created. */
export class StaffMemberDto {
  @ApiProperty({ example: 'nurse@example.org' })
  @MaxLength(320)
  @IsString()
  email!: string;

  @ApiPropertyOptional({ example: 'Alex Morgan', description: 'Shown next to what they do' })
  @IsOptional()
  @Length(1, 100)
  @IsString()
  name?: string;

  @ApiProperty({ example: 'DeploymentStaff', description: 'A default role or a custom role name' })
  @Length(1, 64)
  @IsString()
  role!: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Required for deployment-scoped roles' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  deploymentIds?: string[];
}

/** For the bootstrap and tests: staff are otherwise invited and choose their own password. */
export class CreateStaffDto extends StaffMemberDto {
  @ApiProperty({ format: 'password', minLength: 10 })
  @MaxLength(1024)
  @IsString()
  password!: string;
}

export class CreateRoleDto {
  @ApiProperty({ example: 'Researcher' })
  @Length(1, 64)
  @IsString()
  name!: string;

  @ApiProperty({ enum: PERMISSIONS, isArray: true })
  @IsArray()
  @ArrayMaxSize(PERMISSIONS.length)
  @IsIn(PERMISSIONS, { each: true })
  permissions!: Permission[];
}

export class CreateDeploymentDto {
  @ApiProperty({ example: 'Cardiology study' })
  @Length(1, 200)
  @IsString()
  name!: string;
}

/** Any subset of the settings; null clears an optional text. The domain checks each value. */
export class DeploymentSettingsDto {
  @ApiPropertyOptional({ enum: LANGUAGES })
  @IsOptional()
  @IsIn(LANGUAGES)
  language?: Language;

  @ApiPropertyOptional({ example: 'Europe/Berlin', description: 'IANA time zone: dates in emails and pages' })
  @IsOptional()
  @MaxLength(100)
  @IsString()
  timeZone?: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: SETTING_LIMITS.senderName })
  @IsOptional()
  @MaxLength(SETTING_LIMITS.senderName)
  @IsString()
  senderName?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'care-team@example.org' })
  @IsOptional()
  @MaxLength(320)
  @IsString()
  replyTo?: string | null;

  @ApiPropertyOptional({ enum: Object.keys(EXPIRY_WINDOWS) })
  @IsOptional()
  @IsIn(Object.keys(EXPIRY_WINDOWS))
  defaultExpiresIn?: ExpiryWindowName;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  remindPersonalInvitations?: boolean;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: SETTING_LIMITS.emailIntro })
  @IsOptional()
  @MaxLength(SETTING_LIMITS.emailIntro)
  @IsString()
  emailIntro?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: SETTING_LIMITS.emailSignOff })
  @IsOptional()
  @MaxLength(SETTING_LIMITS.emailSignOff)
  @IsString()
  emailSignOff?: string | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 1,
    maximum: RETENTION_DAYS_MAX,
    description:
      'Days a redeemed, revoked or expired invitation keeps the patient’s address, from when it ended; null: kept',
  })
  @IsOptional()
  @Max(RETENTION_DAYS_MAX)
  @Min(1)
  @IsInt()
  personalDataRetentionDays?: number | null;
}

export class ListStaffQueryDto {
  @ApiPropertyOptional({ description: 'Part of an email address or a name' })
  @IsOptional()
  @MaxLength(254)
  @IsString()
  q?: string;

  @PageLimit()
  limit?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @MaxLength(512)
  @IsString()
  cursor?: string;
}

/** Any of the three; a role change follows the same rules as creating staff. */
export class UpdateStaffDto {
  @ApiPropertyOptional({ example: 'Alex Morgan' })
  @IsOptional()
  @Length(1, 100)
  @IsString()
  name?: string;

  @ApiPropertyOptional({ example: 'DeploymentStaff' })
  @IsOptional()
  @Length(1, 64)
  @IsString()
  role?: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  deploymentIds?: string[];
}

export class ChangePasswordDto {
  @ApiProperty({ format: 'password' })
  @MaxLength(1024)
  @IsString()
  currentPassword!: string;

  @ApiProperty({ format: 'password', minLength: 10 })
  @MaxLength(1024)
  @IsString()
  newPassword!: string;
}

export class RequestPasswordResetDto {
  @ApiProperty({ example: 'nurse@example.org' })
  @MaxLength(320)
  @IsString()
  email!: string;
}

export class PasswordResetDto {
  @ApiProperty({ format: 'password', minLength: 10 })
  @MaxLength(1024)
  @IsString()
  password!: string;
}

export class InviteStaffDto extends StaffMemberDto {
  @ApiPropertyOptional({ enum: Object.keys(EXPIRY_WINDOWS), default: '7d' })
  @IsOptional()
  @IsIn(Object.keys(EXPIRY_WINDOWS))
  expiresIn?: ExpiryWindowName;
}

export class AcceptStaffInvitationDto {
  @ApiPropertyOptional({ example: 'Alex Morgan' })
  @IsOptional()
  @Length(1, 100)
  @IsString()
  name?: string;

  @ApiProperty({ format: 'password', minLength: 10 })
  @MaxLength(1024)
  @IsString()
  password!: string;
}

export class CreateServiceAccountDto {
  @ApiProperty({ example: 'Notification service' })
  @Length(1, 100)
  @IsString()
  name!: string;

  @ApiProperty({ enum: SERVICE_SCOPES, isArray: true })
  @IsArray()
  @ArrayMaxSize(SERVICE_SCOPES.length)
  @IsIn(SERVICE_SCOPES, { each: true })
  scopes!: ServiceScope[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Absent or empty: every deployment' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  deploymentIds?: string[];
}

/** RFC 6749, section 4.4.2, form-encoded; the client may authenticate with HTTP Basic instead. */
export class OAuthTokenDto {
  @ApiProperty({ enum: ['client_credentials'] })
  @MaxLength(64)
  @IsString()
  grant_type!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @MaxLength(64)
  @IsString()
  client_id?: string;

  @ApiPropertyOptional({ format: 'password' })
  @IsOptional()
  @MaxLength(256)
  @IsString()
  client_secret?: string;

  @ApiPropertyOptional({ example: 'events:read' })
  @IsOptional()
  @MaxLength(256)
  @IsString()
  scope?: string;
}
