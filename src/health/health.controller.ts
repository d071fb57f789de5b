import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/access.decorators';
import { ErrorOutput } from '../common/dto/error.output';
import { LivenessOutput, ReadinessOutput } from './dto/health.output';
import { HealthService } from './health.service';

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
  @ApiOperation({ operationId: 'getReadiness', summary: 'The service can reach its database', security: [] })
  @ApiOkResponse({ type: ReadinessOutput })
  @ApiServiceUnavailableResponse({ type: ErrorOutput, description: 'DATABASE_UNAVAILABLE, or DATABASE_ROLE_INSUFFICIENT: the role cannot run tenant-scoped work (the log says why)' })
  ready(): Promise<ReadinessOutput> {
    return this.health.ready();
  }
}
