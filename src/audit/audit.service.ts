import { Injectable } from '@nestjs/common';
import { RequestContext } from '../common/request-context/request-context';
import { PrismaService } from '../database/prisma.service';
import type { ActorType } from '../generated/prisma/enums';
import { actorIdOf, type Principal } from '../tenancy/principal';
import type { TenantTransaction } from '../tenancy/tenant-database.service';

export interface AuditEntry {
  action: string;
  tenantId?: string | null;
  targetType?: string;
  targetId?: string;
  metadata?: Record<string, unknown>;
}

/** An actor that is not a request's principal (the user signing in, before any principal exists). */
export interface AuditActor {
  actorType: ActorType;
  actorId: string | null;
}

/** How a principal is recorded (audit events, agent proposals). */
export const ACTOR_TYPE: Readonly<Record<Principal['kind'], ActorType>> = {
  user: 'USER',
  api_key: 'API_KEY',
  service_account: 'SERVICE_ACCOUNT',
  system: 'SYSTEM',
};

/**
 * Appends to `audit_events`. Pass the transaction doing the change, so the event and the change
 * commit or roll back together. Rows are never updated or deleted (a trigger refuses it).
 */
@Injectable()
export class AuditService {
  constructor(private readonly prisma: PrismaService) {}

  async record(actor: Principal | AuditActor | null, entry: AuditEntry, db: TenantTransaction | Pick<PrismaService, 'auditEvent'> = this.prisma): Promise<void> {
    const { actorType, actorId } = toActor(actor);
    // createMany: a plain INSERT. create() would add RETURNING, which needs SELECT, and the tenant
    // role may only insert here.
    await db.auditEvent.createMany({
      data: [
        {
          actorType,
          actorId,
          action: entry.action,
          tenantId: entry.tenantId ?? null,
          targetType: entry.targetType ?? null,
          targetId: entry.targetId ?? null,
          requestId: RequestContext.requestId() ?? null,
          metadata: (entry.metadata ?? {}) as object,
        },
      ],
    });
  }
}

function toActor(actor: Principal | AuditActor | null): AuditActor {
  if (!actor) return { actorType: 'SYSTEM', actorId: null };
  if ('actorType' in actor) return actor;
  return { actorType: ACTOR_TYPE[actor.kind], actorId: actorIdOf(actor) };
}
