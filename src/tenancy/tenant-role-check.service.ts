import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { DatabaseEndpoint } from '../database/database-endpoint';
import { describeTenantRoleProblems, tenantRoleProblems } from './tenant-role-problems';
import { probeTenantRole } from './tenant-role-probe';

/** Readiness re-probes at most this often, so a role changed under a running server shows within seconds. */
export const TENANT_ROLE_PROBE_MAX_AGE_MS = 10_000;

const PROBE_TIMEOUT_MS = 5_000;

/** Thrown at start-up when the roles cannot do what wall 5 needs; main.ts prints its message alone. */
export class TenantRoleCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TenantRoleCheckError';
  }
}

export interface TenantRoleStatus {
  ok: boolean;
  /** The start-up message when not ok. */
  message: string | null;
}

/**
 * Checks at start-up (after migrations, before listening) that the connecting role can switch to
 * `app_tenant` and that row-level security holds under it (tenant-role-probe.ts). Without this, a
 * role lacking BYPASSRLS or the membership starts fine and then answers 401 or 500 to everything
 * tenant-scoped. Readiness reuses the result, re-probing when it is older than
 * TENANT_ROLE_PROBE_MAX_AGE_MS (one probe at a time, never one per request).
 */
@Injectable()
export class TenantRoleCheck implements OnModuleInit {
  private readonly logger = new Logger('Database');
  private last: { at: number; status: TenantRoleStatus } | null = null;
  private inFlight: Promise<TenantRoleStatus> | null = null;

  constructor(private readonly endpoint: DatabaseEndpoint) {}

  async onModuleInit(): Promise<void> {
    const status = await this.probe();
    if (!status.ok) throw new TenantRoleCheckError(status.message!);
  }

  /** The latest result; probes again when it is stale. Rejects when the database cannot be reached. */
  async status(): Promise<TenantRoleStatus> {
    if (this.last && Date.now() - this.last.at < TENANT_ROLE_PROBE_MAX_AGE_MS) return this.last.status;
    this.inFlight ??= this.probe().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  private async probe(): Promise<TenantRoleStatus> {
    const client = new Client({ connectionString: this.endpoint.url, connectionTimeoutMillis: PROBE_TIMEOUT_MS, query_timeout: PROBE_TIMEOUT_MS });
    client.on('error', () => {}); // a dropped connection rejects the query in flight; nothing else listens
    await client.connect();
    let status: TenantRoleStatus;
    try {
      const facts = await probeTenantRole(client);
      const problems = tenantRoleProblems(facts);
      status = { ok: problems.length === 0, message: problems.length ? describeTenantRoleProblems(facts.connectingRole, problems) : null };
    } finally {
      await client.end().catch(() => undefined);
    }
    if (this.last && this.last.status.ok !== status.ok) {
      if (status.ok) this.logger.log('database role check passes again');
      else this.logger.error(status.message);
    }
    this.last = { at: Date.now(), status };
    return status;
  }
}
