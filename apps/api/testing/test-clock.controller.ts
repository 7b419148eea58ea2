import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IsNumber, Max, Min } from 'class-validator';
import { CLOCK, ControllableClock } from '@app/clock';
import { ProcessorRunner } from '@app/event-processing';
import { Public } from '@app/identity';
import { InvitationJobs } from '@app/invitations';
import { MailDispatcher } from '@app/notifications';
import { Answer, Problems } from '@app/problem-details';
import { IdempotencyHousekeeping } from '@app/request-context';

export class AdvanceClockDto {
  @Max(10 * 365 * 24 * 3600)
  @Min(0)
  @IsNumber()
  seconds!: number;
}

/** Only mounted with TEST_CLOCK=enabled (refused in production): moves time for end-to-end tests. */
@ApiTags('testing')
@Public()
@Controller('testing/clock')
export class TestClockController {
  constructor(
    @Inject(CLOCK) private readonly clock: ControllableClock,
    private readonly runner: ProcessorRunner,
    private readonly jobs: InvitationJobs,
    private readonly mail: MailDispatcher,
    private readonly idempotency: IdempotencyHousekeeping,
  ) {}

  /**
   * Moves the clock, runs every job that became due until none writes more (and forgets the idempotent answers
   * past their time), and waits for every processor and the mail sender.
   */
  @Answer(200, 'TestClock')
  @Problems()
  @Post('advance')
  @HttpCode(200)
  async advance(@Body() body: AdvanceClockDto) {
    await this.runner.waitUntilCaughtUp();
    const now = this.clock.advance(body.seconds);
    for (let round = 0; round < 100 && (await this.jobs.runDue()) > 0; round++) await this.runner.waitUntilCaughtUp();
    await this.runner.waitUntilCaughtUp();
    await this.idempotency.forgetExpired();
    // The mail subscriber: everything due is handed to the transport, and its outcomes projected.
    if ((await this.mail.drain()) > 0) await this.runner.waitUntilCaughtUp();
    return { now: now.toISOString() };
  }
}
