import { Global, Module } from '@nestjs/common';
import { AuditEventsController } from './audit-events.controller';
import { PlatformAuditEventsController } from './platform-audit-events.controller';
import { AuditEventsService } from './audit-events.service';
import { AuditService } from './audit.service';

@Global()
@Module({
  controllers: [AuditEventsController, PlatformAuditEventsController],
  providers: [AuditService, AuditEventsService],
  exports: [AuditService],
})
export class AuditModule {}
