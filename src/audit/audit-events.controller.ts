import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TenantScoped } from '../auth/access.decorators';
import { TenantContext } from '../tenancy/tenant-context';
import { AUDIT_READ_SCOPE } from './audit.constants';
import { AuditEventsService } from './audit-events.service';
import { AuditEventPageOutput } from './dto/audit-event.output';
import { AuditEventsQuery } from './dto/audit-events.query';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { AuditErrorCode } from '../audit/audit.errors';

/** The calling tenant's own audit trail (tenant admins). */
@ApiTags('audit')
@Controller('audit-events')
export class AuditEventsController {
  constructor(private readonly events: AuditEventsService) {}

  @Get()
  @TenantScoped({ minRole: 'ADMIN', scope: AUDIT_READ_SCOPE })
  @ApiErrors(AuditErrorCode.INVALID_CURSOR)
  @ApiOperation({ operationId: 'listAuditEvents', summary: "The tenant's audit events, newest first (cursor pagination)" })
  @ApiOkResponse({ type: AuditEventPageOutput })
  list(@Query() query: AuditEventsQuery): Promise<AuditEventPageOutput> {
    return this.events.list({ ...query, tenantId: TenantContext.requireTenantId() }, 'tenant');
  }
}
