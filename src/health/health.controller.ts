import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/access.decorators';
import { LivenessOutput, ReadinessOutput } from './dto/health.output';
import { HealthService } from './health.service';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { HealthErrorCode } from '../health/health.errors';

@ApiTags('health')
// Probes for orchestrators: public, no credentials.
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('live')
  @ApiOperation({ operationId: 'getLiveness', summary: 'The process is up', security: [] })
  @ApiOkResponse({ type: LivenessOutput })
  live(): LivenessOutput {
    return this.health.live();
  }

  @Get('ready')
  @ApiErrors(HealthErrorCode.DATABASE_UNAVAILABLE, HealthErrorCode.DATABASE_ROLE_INSUFFICIENT)
  @ApiOperation({ operationId: 'getReadiness', summary: 'The service can reach its database', security: [] })
  @ApiOkResponse({ type: ReadinessOutput })
  ready(): Promise<ReadinessOutput> {
    return this.health.ready();
  }
}
