import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { PageLimit } from '@app/request-context';
import {
  Allow,
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import { EXPIRY_WINDOWS } from '@app/link-tokens';

const WINDOWS = Object.keys(EXPIRY_WINDOWS);

/** Addresses and windows are checked by the domain (per-index invalid_emails, invalid_expiry), not here. */
export class IssueInvitationsDto {
  @ApiProperty({ type: [String], minItems: 1, maxItems: 10_000, example: ['patient@example.org'] })
  @ArrayMaxSize(10_000)
  @ArrayMinSize(1)
  @IsArray()
  emails!: unknown[];

  @ApiPropertyOptional({ enum: WINDOWS, description: "Default: the deployment's defaultExpiresIn setting" })
  @Allow()
  expiresIn?: unknown;
}

export class ResendInvitationDto {
  @ApiPropertyOptional({ enum: WINDOWS, description: 'Default: the window used last' })
  @Allow()
  expiresIn?: unknown;
}

export class ResendManyDto {
  @ApiProperty({
    enum: ['expired', 'failed'],
    description: 'Every expired invitation, or every live one whose email failed',
  })
  @IsIn(['expired', 'failed'])
  which!: 'expired' | 'failed';

  @ApiPropertyOptional({ enum: WINDOWS, description: "Default: each invitation's last window" })
  @Allow()
  expiresIn?: unknown;
}

export class GenerateLinkDto {
  @ApiPropertyOptional({ enum: WINDOWS, description: "Default: the deployment's defaultExpiresIn setting" })
  @Allow()
  expiresIn?: unknown;
}

export class AcceptInvitationDto {
  @ApiProperty({ format: 'password', minLength: 10 })
  @MaxLength(1024)
  @IsString()
  password!: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @Length(1, 100)
  @IsString()
  displayName?: string;
}

export class SignUpDto {
  @ApiProperty({ example: 'patient@example.org' })
  @Allow()
  email!: unknown;
}

export class ErasureDto {
  @ApiProperty({ description: 'The address of the patient to erase' })
  @IsString()
  @MaxLength(320)
  email!: string;
}

/** `?asOf=`: an answer as it stood at a past instant (the list's temporal twin). */
export class AsOfQueryDto {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Answer as the list showed it at this past instant (statuses as they read then); not in the future',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  asOf?: string;
}

export class ListInvitationsQueryDto extends AsOfQueryDto {
  @ApiPropertyOptional({ description: 'Comma list of pending, expired, redeemed, revoked', default: 'pending,expired' })
  @IsOptional()
  @MaxLength(64)
  @IsString()
  status?: string;

  @ApiPropertyOptional({ description: 'Email substring' })
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

  @ApiPropertyOptional({ enum: ['email', 'link'] })
  @IsOptional()
  @IsIn(['email', 'link'])
  channel?: 'email' | 'link';

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  linkId?: string;

  @ApiPropertyOptional({ description: "Comma list of queued, sent, failed, complained: the latest email's status" })
  @IsOptional()
  @MaxLength(64)
  @IsString()
  emailStatus?: string;
}

/** What the audit feed and the export both filter by. */
export class AuditFilterQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this deployment (one the caller acts in)' })
  @IsOptional()
  @IsUUID()
  deploymentId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Events that happened at or after this instant' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Events that happened before this instant' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ description: 'Comma list of event types, e.g. InvitationIssued,InvitationRevoked' })
  @IsOptional()
  @Matches(/^[A-Za-z]{1,64}(,[A-Za-z]{1,64}){0,49}$/, { message: 'types must be a comma list of event types' })
  types?: string;

  @ApiPropertyOptional({ description: 'Comma list of stream categories, e.g. invitation,mail' })
  @IsOptional()
  @Matches(/^[A-Za-z]{1,64}(,[A-Za-z]{1,64}){0,49}$/, { message: 'categories must be a comma list of categories' })
  categories?: string;
}

/** The live stream: the feed's filters but time (it runs from a position on), and where to start. */
export class EventStreamQueryDto extends PickType(AuditFilterQueryDto, ['deploymentId', 'types', 'categories']) {
  @ApiPropertyOptional({
    description: 'Exclusive: the position to go on after (the Last-Event-ID header wins); absent: from now',
  })
  @IsOptional()
  @MaxLength(64)
  @IsString()
  after?: string;
}

export class AuditFeedQueryDto extends AuditFilterQueryDto {
  @ApiPropertyOptional({ description: 'Exclusive; opaque position from a previous page' })
  @IsOptional()
  @MaxLength(64)
  @IsString()
  after?: string;

  @PageLimit(1000, 100)
  limit?: number;
}
