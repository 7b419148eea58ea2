import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@app/identity';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Answer, Problems } from '@app/problem-details';

/** What the patient pages need to know of this installation (added to API.md's contract). */
@ApiTags('patients')
@Public()
@Controller('public/config')
export class PublicConfigController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @ApiOperation({ summary: 'What the patient pages need to know: where to get the app' })
  @Answer(200, 'PublicConfig')
  @Problems()
  @Get()
  get() {
    return { downloadUrl: this.config.appDownloadUrl };
  }
}
