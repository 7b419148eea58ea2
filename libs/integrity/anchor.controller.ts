import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CLOCK, type Clock } from '@app/clock';
import { RequirePermission } from '@app/identity';
import { Answer, ProblemException, Problems } from '@app/problem-details';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';
import { AnchorSigner, type ChainAnchor } from './chain-anchor';
import { lastLink } from './chain-links';

/**
 * The chain's newest link, signed: auditors keep these outside the system. Covers the whole log (it
 * names a count and a hash, nothing of any deployment's events), so any holder of view_audit_log may
 * ask for it.
 */
@ApiTags('audit')
@ApiBearerAuth()
@RequirePermission('view_audit_log')
@Controller('audit')
export class AnchorController {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly signer: AnchorSigner,
  ) {}

  @ApiOperation({ summary: 'The latest position and hash of the integrity chain, signed (Ed25519)' })
  @Answer(200, 'ChainAnchor')
  @Problems('forbidden', 'chain_empty')
  @Header('Cache-Control', 'no-store')
  @Get('anchor')
  async anchor(): Promise<ChainAnchor> {
    const link = await lastLink(this.db);
    if (!link) throw new ProblemException(404, 'chain_empty', 'No event is chained yet');
    return this.signer.sign(link, this.clock.now());
  }
}
