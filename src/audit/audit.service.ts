import { Injectable } from '@nestjs/common';
import { RequestContext } from '../common/request-context/request-context';
import { PrismaService } from '../database/prisma.service';
import type { ActorType } from '../generated/prisma/enums';
import { actorIdOf, type Principal } from '../tenancy/principal';
import type { TenantTransaction } from '../tenancy/tenant-database.service';
import { AuditThrottle } from './audit-throttle';

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
  private readonly throttle = new AuditThrottle();

  constructor(private readonly prisma: PrismaService) {}

  /**
   * A platform event a caller can cause at will (a refused operator override): never in a tenant's
   * trail, and at most AUDIT_THROTTLE_PER_MINUTE per actor (or, with none, per `source`: the client
   * address) per minute. The first event after a drop says how many were dropped (`droppedBefore`).
   */
  async recordThrottled(actor: Principal | null, entry: Omit<AuditEntry, 'tenantId'>, source: string): Promise<void> {
    const { actorType, actorId } = toActor(actor);
    const decision = this.throttle.admit(`${entry.action}|${actorType}|${actorId ?? source}`);
    if (!decision.record) return;
    const metadata = decision.droppedBefore > 0 ? { ...entry.metadata, droppedBefore: decision.droppedBefore } : entry.metadata;
    await this.record(actor, { ...entry, tenantId: null, metadata });
  }

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

/** How an actor is recorded: a principal by its kind and id, nobody as SYSTEM. */
export function toActor(actor: Principal | AuditActor | null): AuditActor {
  if (!actor) return { actorType: 'SYSTEM', actorId: null };
  if ('actorType' in actor) return actor;
  return { actorType: ACTOR_TYPE[actor.kind], actorId: actorIdOf(actor) };
}
