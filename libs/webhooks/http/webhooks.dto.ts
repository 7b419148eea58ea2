import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageLimit } from '@app/request-context';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PREVIOUS_SECRET_HOURS } from '../application/webhooks';
import { WEBHOOK_RETRIES } from '../delivery/retry-schedule';
import { MAX_EVENTS_PER_DELIVERY } from '../domain/webhook-endpoint';

/** As long as deliveries are retried before an endpoint is disabled: three days. */
const MAX_PREVIOUS_SECRET_HOURS = WEBHOOK_RETRIES.giveUpAfterMs / 3_600_000;

export class RegisterWebhookDto {
  @ApiProperty({ example: 'https://crm.example.org/hooks/invitations' })
  @MaxLength(2000)
  @IsString()
  url!: string;

  @ApiProperty({ type: [String], example: ['InvitationIssued', 'InvitationRedeemed'] })
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  types!: string[];

  @ApiPropertyOptional({ format: 'uuid', description: "Absent: every deployment's events (and the organisation's)" })
  @IsOptional()
  @IsUUID('all')
  deploymentId?: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_EVENTS_PER_DELIVERY,
    default: 1,
    description: '1: one event per delivery; more: up to this many waiting events per delivery, as `type: "batch"`',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_EVENTS_PER_DELIVERY)
  maxEventsPerDelivery?: number;
}

export class RotateWebhookSecretDto {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_PREVIOUS_SECRET_HOURS,
    default: PREVIOUS_SECRET_HOURS,
    description: 'How long the secret being replaced still signs beside the new one; 0 stops it now (after a leak)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_PREVIOUS_SECRET_HOURS)
  previousSecretHours?: number;
}

export class ReplayWebhookDto {
  @ApiProperty({ description: 'A log position (an event\'s `position`); "" replays the whole log', example: '' })
  @MaxLength(64)
  @Matches(/^[0-9A-Za-z:_-]*$/, { message: 'fromPosition must be a log position' })
  @IsString()
  fromPosition!: string;
}

export class DeliveriesQueryDto {
  @PageLimit()
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the page before' })
  @IsOptional()
  @Matches(/^[1-9][0-9]{0,15}$/, { message: 'cursor must be a nextCursor this endpoint gave' })
  cursor?: string;
}
