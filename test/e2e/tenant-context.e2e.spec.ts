import { Controller, Get, Headers, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { TenantScoped } from '../../src/auth/access.decorators';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { bearer, IdentityFixtures, KeyRow, login, TenantRow } from '../support/identity-fixtures';
import { LogCapture, useTestApp } from '../support/test-app';

/** Reads the context before and after yielding to other requests, and what headers reached it. */
@Controller('test-context')
class ContextProbeController {
  private readonly logger = new Logger('ContextProbe');

  @Get()
  @TenantScoped({ scope: 'probe:read' })
  async probe(@Headers() headers: Record<string, string>) {
    const before = TenantContext.requireTenantId();
    await sleep(Math.random() * 5);
    await Promise.resolve();
    const after = TenantContext.requireTenantId();
    this.logger.log('probe served');
    return { before, after, principal: TenantContext.principal(), headers };
  }
}

interface ProbeBody {
  before: string;
  after: string;
  principal: { kind: string; apiKeyId?: string; tenantId: string };
  headers: Record<string, string>;
}

describe('tenant context', () => {
  const logs = new LogCapture();
  const handle = useTestApp({ controllers: [ContextProbeController], logs });
  let fixtures: IdentityFixtures;
  let tenants: Array<{ tenant: TenantRow; key: KeyRow }>;

  beforeAll(async () => {
    fixtures = await IdentityFixtures.connect(handle.database.url);
    tenants = [];
    for (let i = 0; i < 3; i++) {
      const tenant = await fixtures.tenant();
      tenants.push({ tenant, key: await fixtures.apiKey(tenant.id) });
    }
  });
  afterAll(() => fixtures.close());

  it('does not bleed between hundreds of interleaved requests of different tenants', async () => {
    const requests = Array.from({ length: 300 }, (_, i) => tenants[i % tenants.length]);
    const answers = await Promise.all(
      requests.map(async ({ tenant, key }) => {
        const response = await handle.app.inject({ method: 'GET', url: '/api/v1/test-context', headers: bearer(key.secret) });
        return { expected: tenant.id, key: key.id, status: response.statusCode, body: response.json<ProbeBody>() };
      }),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect([answer.body.before, answer.body.after, answer.body.principal.tenantId]).toEqual([answer.expected, answer.expected, answer.expected]);
      expect(answer.body.principal.apiKeyId).toBe(answer.key);
    }
  });

  it('a tenant-scoped list under concurrency shows each tenant only its own rows', async () => {
    const answers = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const { tenant, key } = tenants[i % tenants.length];
        const response = await handle.app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: bearer(key.secret) });
        return { key: key.id, tenant: tenant.id, ids: response.json<{ items: Array<{ id: string }> }>().items.map((item) => item.id) };
      }),
    );
    for (const answer of answers) expect(answer.ids).toEqual([answer.key]);
  });

  it('inbound x-tenant-id and x-tenant-slug never reach the application', async () => {
    const { key } = tenants[0];
    const response = await handle.app.inject({
      method: 'GET',
      url: '/api/v1/test-context',
      headers: { ...bearer(key.secret), 'x-tenant-id': tenants[1].tenant.id, 'X-Tenant-Slug': tenants[1].tenant.slug },
    });
    const body = response.json<ProbeBody>();
    expect(body.before).toBe(tenants[0].tenant.id);
    expect(Object.keys(body.headers)).not.toContain('x-tenant-id');
    expect(Object.keys(body.headers)).not.toContain('x-tenant-slug');
  });

  it('log lines of a request carry its tenantId and userId', async () => {
    const { tenant, owner } = await fixtures.tenantWithOwner();
    const session = await login(handle.app, owner);
    const response = await handle.app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: bearer(session.accessToken) });
    const requestId = response.headers['x-request-id'];
    const completed = logs.entries.find((entry) => entry.requestId === requestId && entry.msg === 'request completed');
    expect(completed).toMatchObject({ tenantId: tenant.id, userId: owner.id });

    const keyed = await handle.app.inject({ method: 'GET', url: '/api/v1/test-context', headers: bearer(tenants[2].key.secret) });
    const probeLine = logs.entries.find((entry) => entry.requestId === keyed.headers['x-request-id'] && entry.msg === 'probe served');
    expect(probeLine).toMatchObject({ tenantId: tenants[2].tenant.id, apiKeyId: tenants[2].key.id });
  });
});
