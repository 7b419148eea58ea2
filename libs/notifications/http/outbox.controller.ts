import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';
import { Public } from '@app/identity';
import { MailTemplates } from '../mail-templates';
import { MAIL_LINKS, type MailLinks } from '../mail-transport';
import { readOutbox } from '../transports/outbox-transport';
import { NOTIFICATION_SETTINGS, type NotificationSettings } from '../notification-settings';
import { Answer, Problems } from '@app/problem-details';

export class OutboxQueryDto {
  @IsOptional()
  @MaxLength(320)
  @IsString()
  to?: string;

  @IsOptional()
  @Max(1000)
  @Min(1)
  @IsInt()
  @Type(() => Number)
  limit?: number;

  /** The `nextCursor` of the page before. */
  @IsOptional()
  @Matches(/^[1-9][0-9]{0,15}$/)
  cursor?: string;
}

/** Only mounted with MAIL_TRANSPORT=outbox, which production refuses: it shows every email, links included. */
@ApiTags('development')
@Public()
@Controller('dev/outbox')
export class OutboxController {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(MAIL_LINKS) private readonly links: MailLinks,
    @Inject(NOTIFICATION_SETTINGS) private readonly settings: NotificationSettings,
    private readonly templates: MailTemplates,
  ) {}

  @ApiOperation({ summary: 'Development only: the emails the outbox transport "sent"' })
  @Answer(200, 'OutboxPage')
  @Problems()
  @Get()
  list(@Query() query: OutboxQueryDto) {
    const page = { to: query.to, limit: query.limit ?? 1000, cursor: query.cursor };
    return readOutbox(this.db, this.templates, this.links, this.settings, page);
  }
}
