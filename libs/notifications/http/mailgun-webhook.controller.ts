import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, IsObject, IsString, MaxLength, ValidateNested } from 'class-validator';
import { CLOCK, type Clock } from '@app/clock';
import { Public } from '@app/identity';
import { ProblemException } from '@app/problem-details';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';
import { NOTIFICATION_SETTINGS, type NotificationSettings } from '../notification-settings';
import { DeliveryReports, type ReportOutcome } from '../webhooks/delivery-reports';
import { checkMailgunSignature } from '../webhooks/mailgun-signature';
import { deliveryReportOf, type MailgunEventData } from '../webhooks/mailgun-report';
import { takeToken } from '../webhooks/mailgun-tokens';
import { Answer, Problems } from '@app/problem-details';

/** The webhook's refusals, each with its status (Mailgun retries anything but 2xx and 406). */
export const WEBHOOK_PROBLEM_STATUS: Record<string, number> = {
  invalid_signature: 401,
  stale_signature: 401,
  replayed_signature: 409,
  report_too_early: 503,
};

function refusal(code: string, detail: string, headers: Record<string, string> = {}): ProblemException {
  return new ProblemException(WEBHOOK_PROBLEM_STATUS[code], code, detail, undefined, headers);
}

export class MailgunSignatureDto {
  @ApiProperty({ example: '1764662400' })
  @MaxLength(20)
  @IsString()
  timestamp!: string;

  @ApiProperty()
  @MaxLength(200)
  @IsString()
  token!: string;

  @ApiProperty({ description: 'HMAC-SHA256(signing key, timestamp ‖ token), hex' })
  @MaxLength(128)
  @IsString()
  signature!: string;
}

/** Mailgun's webhook body: its signature, and its event as documented (only a few fields are read). */
export class MailgunWebhookDto {
  @ApiProperty({ type: MailgunSignatureDto })
  @ValidateNested()
  @Type(() => MailgunSignatureDto)
  @IsObject()
  signature!: MailgunSignatureDto;

  @ApiProperty({ name: 'event-data', type: Object, description: "Mailgun's event: id, event, severity, recipient …" })
  @IsObject()
  @Allow()
  'event-data'!: MailgunEventData;
}

/**
 * Mailgun's bounce and complaint reports. Only a request signed with the webhook signing key, within
 * five minutes of now, with a token not seen before is believed; the report is recorded once per
 * Mailgun event id. 200 tells Mailgun to stop; 503 (the email's send is not recorded yet) asks it to
 * try again later. Not under the public rate limit: a burst of bounces after a large send comes from
 * few addresses, and an unsigned request costs one HMAC before anything is read or written.
 */
@ApiTags('webhooks')
@Public()
@Controller('webhooks/mailgun')
export class MailgunWebhookController {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(NOTIFICATION_SETTINGS) private readonly settings: NotificationSettings,
    private readonly reports: DeliveryReports,
  ) {}

  @Answer(200, 'WebhookOutcome')
  @Problems('invalid_signature', 'stale_signature', 'replayed_signature', 'report_too_early')
  @ApiOperation({ summary: 'Bounces and complaints from Mailgun (failed permanently, complained)' })
  @Post()
  @HttpCode(200)
  async receive(@Body() body: MailgunWebhookDto): Promise<{ outcome: ReportOutcome | 'ignored' }> {
    const now = this.clock.now();
    const check = checkMailgunSignature(body.signature, this.settings.mailgun!.webhookSigningKey!, now);
    if (check === 'invalid') throw refusal('invalid_signature', 'The signature is not from the webhook signing key');
    if (check === 'stale') throw refusal('stale_signature', 'The signature is more than five minutes from now');
    if (!(await takeToken(this.db, body.signature.token, now)))
      throw refusal('replayed_signature', 'This signature was used before');
    const report = deliveryReportOf(body['event-data']);
    if (!report) return { outcome: 'ignored' };
    const outcome = await this.reports.record(report);
    if (outcome === 'not_yet_sent')
      throw refusal('report_too_early', 'The email this reports on is not recorded yet', { 'Retry-After': '60' });
    return { outcome };
  }
}
