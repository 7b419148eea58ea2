import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentStaff, RequirePermission, type StaffPrincipal } from '@app/identity';
import { Answer, Problems } from '@app/problem-details';
import { CorrelationId, ReplayWithout } from '@app/request-context';
import { Webhooks } from '../application/webhooks';
import { WebhookError } from '../domain/webhook-error';
import { DeliveriesQueryDto, RegisterWebhookDto, ReplayWebhookDto, RotateWebhookSecretDto } from './webhooks.dto';

const uuid = new ParseUUIDPipe({ version: '4', errorHttpStatusCode: 404 });

/**
 * Signed webhooks (Standard Webhooks) for other services. Like service accounts they are the
 * organisation's integrations: managed through an organisation-wide role holding
 * `manage_service_accounts` (Admin). The signing secret is in an answer once, when made or rotated.
 */
@ApiTags('webhooks')
@ApiBearerAuth()
@RequirePermission('manage_service_accounts')
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: Webhooks) {}

  @ApiOperation({ summary: 'Register an endpoint; its signing secret is shown once' })
  @Answer(201, 'CreatedWebhookEndpoint')
  @Problems(
    'forbidden',
    'admin_only',
    'invalid_webhook_url',
    'invalid_event_types',
    'invalid_batch_size',
    'deployment_not_found',
  )
  @Post()
  @ReplayWithout('secret')
  register(
    @CurrentStaff() staff: StaffPrincipal,
    @Body() body: RegisterWebhookDto,
    @CorrelationId() correlationId: string,
  ) {
    return this.webhooks.register(organisationWide(staff), body, correlationId);
  }

  @ApiOperation({ summary: "The organisation's endpoints, with where their deliveries stand" })
  @Answer(200, 'WebhookEndpoints')
  @Problems('forbidden', 'admin_only')
  @Get()
  async list(@CurrentStaff() staff: StaffPrincipal) {
    return { items: await this.webhooks.list(organisationWide(staff)) };
  }

  @ApiOperation({ summary: 'One endpoint: its state, why it was disabled, where its deliveries stand' })
  @Answer(200, 'WebhookEndpoint')
  @Problems('forbidden', 'admin_only', 'webhook_not_found')
  @Get(':id')
  view(@Param('id', uuid) id: string, @CurrentStaff() staff: StaffPrincipal) {
    return this.webhooks.view(organisationWide(staff), id);
  }

  @ApiOperation({ summary: "The endpoint's delivery attempts, newest first (kept 30 days)" })
  @Answer(200, 'WebhookDeliveries')
  @Problems('forbidden', 'admin_only', 'webhook_not_found')
  @Get(':id/deliveries')
  async deliveries(
    @Param('id', uuid) id: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Query() query: DeliveriesQueryDto,
  ) {
    const limit = query.limit ?? 50;
    const items = await this.webhooks.deliveries(
      organisationWide(staff),
      id,
      limit + 1,
      query.cursor ? Number(query.cursor) : undefined,
    );
    const page = items.slice(0, limit);
    return {
      items: page.map(({ seq: _seq, ...attempt }) => attempt),
      nextCursor: items.length > limit ? String(page[page.length - 1].seq) : null,
    };
  }

  @ApiOperation({
    summary: 'A new signing secret, shown once; the old one signs beside it for 24 hours unless told otherwise',
  })
  @ApiBody({ type: RotateWebhookSecretDto, required: false })
  @Answer(200, 'WebhookSecret')
  @Problems('forbidden', 'admin_only', 'webhook_not_found', 'write_conflict')
  @Post(':id/secret')
  @HttpCode(200)
  @ReplayWithout('secret')
  rotate(
    @Param('id', uuid) id: string,
    @Body() body: RotateWebhookSecretDto,
    @CurrentStaff() staff: StaffPrincipal,
    @CorrelationId() correlationId: string,
  ) {
    return this.webhooks.rotate(organisationWide(staff), id, correlationId, body.previousSecretHours);
  }

  @ApiOperation({ summary: 'Enable a disabled endpoint: deliveries resume where they stopped' })
  @Answer(200, 'WebhookEndpoint')
  @Problems('forbidden', 'admin_only', 'webhook_not_found', 'webhook_not_disabled', 'write_conflict')
  @Post(':id/enable')
  @HttpCode(200)
  enable(@Param('id', uuid) id: string, @CurrentStaff() staff: StaffPrincipal, @CorrelationId() correlationId: string) {
    return this.webhooks.enable(organisationWide(staff), id, correlationId);
  }

  @ApiOperation({ summary: 'Deliver again every matching event after a log position' })
  @Answer(200, 'WebhookEndpoint')
  @Problems('forbidden', 'admin_only', 'webhook_not_found', 'invalid_position', 'write_conflict')
  @Post(':id/replay')
  @HttpCode(200)
  replay(
    @Param('id', uuid) id: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Body() body: ReplayWebhookDto,
    @CorrelationId() correlationId: string,
  ) {
    return this.webhooks.replay(organisationWide(staff), id, body.fromPosition, correlationId);
  }

  @ApiOperation({ summary: 'Send a signed test message now and answer what the receiver said' })
  @Answer(200, 'WebhookTestPing')
  @Problems('forbidden', 'admin_only', 'webhook_not_found')
  @Post(':id/test')
  @HttpCode(200)
  test(@Param('id', uuid) id: string, @CurrentStaff() staff: StaffPrincipal) {
    return this.webhooks.test(organisationWide(staff), id);
  }

  @ApiOperation({ summary: 'Delete an endpoint: nothing more is delivered to it' })
  @Answer(204, null)
  @Problems('forbidden', 'admin_only', 'webhook_not_found', 'write_conflict')
  @Delete(':id')
  @HttpCode(204)
  async remove(
    @Param('id', uuid) id: string,
    @CurrentStaff() staff: StaffPrincipal,
    @CorrelationId() correlationId: string,
  ): Promise<void> {
    await this.webhooks.remove(organisationWide(staff), id, correlationId);
  }
}

function organisationWide(staff: StaffPrincipal): StaffPrincipal {
  if (staff.scope !== 'organisation')
    throw new WebhookError('admin_only', 'Webhooks are managed through an organisation-wide role');
  return staff;
}
