import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Operator } from '../auth/access.decorators';
import { AuditEventsService } from './audit-events.service';
import { AuditEventPageOutput } from './dto/audit-event.output';
import { PlatformAuditEventsQuery } from './dto/audit-events.query';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { AuditErrorCode } from '../audit/audit.errors';

/** Every audit event, for operators (`support:*` included). */
@ApiTags('platform')
@Controller('platform/audit-events')
export class PlatformAuditEventsController {
  constructor(private readonly events: AuditEventsService) {}

  @Get()
  @Operator()
  @ApiErrors(AuditErrorCode.INVALID_CURSOR)
  @ApiOperation({ operationId: 'listPlatformAuditEvents', summary: 'Audit events of the platform, newest first; filter by tenant, action, actor, time' })
  @ApiOkResponse({ type: AuditEventPageOutput })
  list(@Query() query: PlatformAuditEventsQuery): Promise<AuditEventPageOutput> {
    return this.events.list(query, 'platform');
  }
}
