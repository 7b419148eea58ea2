import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentStaff, RequirePermission, type StaffPrincipal } from '@app/identity';
import { Answer, Problems } from '@app/problem-details';
import { CorrelationId } from '@app/request-context';
import { ErasePatient } from '../application/erasure/erase-patient';
import { ErasureDto } from './invitation.dto';

@ApiTags('compliance')
@ApiBearerAuth()
@RequirePermission('erase_personal_data')
@Controller('patients')
export class ErasureController {
  constructor(private readonly commands: CommandBus) {}

  /** Crypto-shredding: the person's keys are deleted, so the log keeps every event but can no longer read theirs. */
  @ApiOperation({ summary: "Erase a patient's personal data (their address and name), everywhere" })
  @Answer(200, 'Erasure')
  @Problems('forbidden', 'invalid_email', 'erasure_needs_organisation_role', 'write_conflict')
  @Post('erasure')
  @HttpCode(200)
  erase(@Body() body: ErasureDto, @CurrentStaff() staff: StaffPrincipal, @CorrelationId() correlationId: string) {
    return this.commands.execute(new ErasePatient(staff, body.email, correlationId));
  }
}
