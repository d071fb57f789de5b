import { Controller, Get, Header, NotFoundException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/access.decorators';
import { AppConfig } from '../config/app-config';
import { MetricsService } from './metrics.service';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { CommonErrorCode } from '../common/errors/common.errors';

/** Prometheus scrape endpoint. Labels never carry tenant ids, so it exposes no tenant's data. */
@ApiTags('metrics')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiErrors(CommonErrorCode.NOT_FOUND)
  @ApiOperation({ operationId: 'getMetrics', summary: 'Prometheus metrics (text exposition format)', security: [] })
  @ApiProduces('text/plain')
  @ApiOkResponse({ schema: { type: 'string', example: '# HELP tenant_isolation_denials_total Requests or queries refused by a tenant-isolation wall, by reason\n# TYPE tenant_isolation_denials_total counter\ntenant_isolation_denials_total{reason="cross_tenant_query"} 0\n' } })
  render(): Promise<string> {
    // Disabled, it answers exactly as an unknown route does, so the listener reveals nothing.
    if (!this.config.METRICS_ENABLED) throw new NotFoundException('Cannot GET /metrics');
    return this.metrics.render();
  }
}
