import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import type { ActorType } from '../generated/prisma/enums';
import { AuditError, AuditErrorCode } from './audit.errors';
import type { AuditEventOutput, AuditEventPageOutput } from './dto/audit-event.output';

export interface AuditEventFilter {
  tenantId?: string;
  action?: string;
  actorId?: string;
  actorType?: ActorType;
  from?: Date;
  to?: Date;
  cursor?: string;
  limit: number;
}

/** Metadata keys only operators see (a lifecycle reason is never shown to the tenant). */
const OPERATOR_ONLY_METADATA = ['reason'];

/**
 * Reads the audit trail, newest first. Keyset pagination on (occurredAt, id): stable while events
 * are appended, and as fast on page 1000 as on page 1.
 */
@Injectable()
export class AuditEventsService {
  constructor(private readonly prisma: PrismaService) {}

  async list(filter: AuditEventFilter, view: 'platform' | 'tenant'): Promise<AuditEventPageOutput> {
    const after = filter.cursor === undefined ? undefined : decodeCursor(filter.cursor);
    const where: Prisma.AuditEventWhereInput = {
      ...(filter.tenantId ? { tenantId: filter.tenantId } : {}),
      ...(filter.action ? { action: filter.action } : {}),
      ...(filter.actorId ? { actorId: filter.actorId } : {}),
      ...(filter.actorType ? { actorType: filter.actorType } : {}),
      ...(filter.from || filter.to ? { occurredAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } } : {}),
      ...(after ? { OR: [{ occurredAt: { lt: after.occurredAt } }, { occurredAt: after.occurredAt, id: { lt: after.id } }] } : {}),
    };
    const rows = await this.prisma.auditEvent.findMany({ where, orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }], take: filter.limit + 1 });
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => (view === 'tenant' ? forTenant(row as AuditEventOutput) : (row as AuditEventOutput))),
      nextCursor: rows.length > filter.limit && last ? encodeCursor(last.occurredAt, last.id) : null,
      limit: filter.limit,
    };
  }
}

function forTenant(row: AuditEventOutput): AuditEventOutput {
  const metadata = { ...(row.metadata) };
  for (const key of OPERATOR_ONLY_METADATA) delete metadata[key];
  return { ...row, metadata };
}

function encodeCursor(occurredAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([occurredAt.toISOString(), id])).toString('base64url');
}

function decodeCursor(cursor: string): { occurredAt: Date; id: string } {
  try {
    const [occurredAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(occurredAt);
    if (typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id) && !Number.isNaN(date.getTime())) return { occurredAt: date, id };
  } catch {
    // falls through
  }
  throw new AuditError(AuditErrorCode.INVALID_CURSOR, 'cursor is not one this API returned', [{ field: 'cursor', message: 'invalid' }]);
}
