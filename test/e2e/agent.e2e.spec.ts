import { Client } from 'pg';
import { findOrphans } from '../../src/provisioning/tenant-orphans';
import { bearer, createApiKey, IdentityFixtures, login, type KeyRow, type TenantRow } from '../support/identity-fixtures';
import { LogCapture, useTestApp } from '../support/test-app';

interface ErrorBody {
  error: string;
  code: string;
  details?: Array<{ field: string; message: string }>;
}
interface Proposal {
  id: string;
  tool: string;
  payload: Record<string, unknown>;
  summary: string;
  status: string;
  proposedBy: { type: string; id: string | null };
  decidedBy: string | null;
  expiresAt: string;
  result: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
}
interface Package {
  id: string;
  slug: string;
  name: string;
  segmentId: string;
  basePrice: number;
  active: boolean;
}

const ENV = { JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789', TENANT_COOKIE_SECRET: 'test-cookie-secret-0123456789abcdef012345' };

describe('agent tools and proposals', () => {
  const logs = new LogCapture();
  const handle = useTestApp({ env: ENV, logs });
  let fixtures: IdentityFixtures;

  beforeAll(async () => {
    fixtures = await IdentityFixtures.connect(handle.database.url);
  });
  afterAll(() => fixtures.close());

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, token: string, payload?: object) =>
    handle.app.inject({ method, url: `/api/v1${url}`, headers: bearer(token), payload });
  const invoke = (token: string, tool: string, args?: object) => call('POST', `/agent/tools/${tool}/invoke`, token, args === undefined ? {} : { arguments: args });

  /** A tenant, its owner signed in, and an agent key holding only the `agent` scope, made by the owner through the API. */
  async function setup(): Promise<{ tenant: TenantRow; agent: KeyRow; human: string; humanId: string; general: { id: string } }> {
    const { tenant, owner } = await fixtures.tenantWithOwner('Agent Co');
    const human = (await login(handle.app, owner, tenant.id)).accessToken;
    const agent = await createApiKey(handle.app, human, { name: 'assistant', scopes: ['agent'] });
    const general = (await invoke(agent.secret, 'get_segments')).json<{ result: Array<{ id: string; slug: string }> }>().result.find((segment) => segment.slug === 'general')!;
    return { tenant, agent, human, humanId: owner.id, general };
  }

  const packages = async (token: string) => (await call('GET', '/packages?limit=100', token)).json<{ items: Package[] }>().items;

  describe('tools', () => {
    it('lists every tool in the function-calling form', async () => {
      const { agent } = await setup();
      const response = await call('GET', '/agent/tools', agent.secret);
      expect(response.statusCode).toBe(200);
      const { tools } = response.json<{ tools: Array<{ type: string; function: { name: string; description: string; parameters: { type: string } } }> }>();
      expect(tools.map((tool) => tool.function.name).sort()).toEqual(['get_package', 'get_packages', 'get_segments', 'set_package_active', 'update_segment', 'upsert_package']);
      for (const tool of tools) {
        expect(Object.keys(tool).sort()).toEqual(['function', 'type']);
        expect(tool.type).toBe('function');
        expect(tool.function.description.length).toBeGreaterThan(10);
        expect(tool.function.parameters.type).toBe('object');
      }
    });

    it('needs the agent scope', async () => {
      const { human } = await setup();
      const catalogOnly = await createApiKey(handle.app, human, { scopes: ['catalog:read'] });
      expect((await call('GET', '/agent/tools', catalogOnly.secret)).statusCode).toBe(403);
      expect((await invoke(catalogOnly.secret, 'get_segments')).statusCode).toBe(403);
      const agentKey = await createApiKey(handle.app, human, { scopes: ['agent'] });
      expect((await call('POST', '/packages', agentKey.secret, { name: 'Direct', basePrice: 1 })).statusCode).toBe(403);
    });

    it('read tools answer at once with the tenant\'s data only', async () => {
      const { agent } = await setup();
      const other = await setup();
      const list = await invoke(agent.secret, 'get_packages', { active: true });
      expect(list.statusCode).toBe(200);
      const page = list.json<{ tool: string; result: { items: Package[]; total: number } }>();
      expect(page.tool).toBe('get_packages');
      expect(page.result.total).toBe(3);
      const bySlug = await invoke(agent.secret, 'get_package', { slug: 'premium-package' });
      expect(bySlug.json<{ result: Package }>().result.name).toBe('Premium');
      const foreign = (await invoke(other.agent.secret, 'get_package', { slug: 'basic-package' })).json<{ result: Package }>().result;
      const refused = await invoke(agent.secret, 'get_package', { packageId: foreign.id });
      expect([refused.statusCode, refused.json<ErrorBody>().code]).toEqual([404, 'PACKAGE_NOT_FOUND']);
    });

    it('refuses unknown tools and arguments that break the schema, naming the fields', async () => {
      const { agent } = await setup();
      expect((await invoke(agent.secret, 'drop_tables')).json<ErrorBody>().code).toBe('TOOL_NOT_FOUND');
      const bad = await invoke(agent.secret, 'upsert_package', { name: 'X', basePrice: -5, colour: 'red' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json<ErrorBody>().code).toBe('INVALID_TOOL_INPUT');
      expect(bad.json<ErrorBody>().details!.map((detail) => detail.field).sort()).toEqual(['basePrice', 'colour']);
      expect((await call('POST', '/agent/tools/get_segments/invoke', agent.secret, { arguments: 'nope' })).statusCode).toBe(400);
    });
  });

  describe('upsert_package', () => {
    it('creates a proposal (202) and changes nothing until a human confirms; then the package exists, in General by fallback', async () => {
      const { tenant, agent, human, humanId, general } = await setup();
      const proposed = await invoke(agent.secret, 'upsert_package', { name: 'Full Day', basePrice: 150000 });
      expect(proposed.statusCode).toBe(202);
      const proposal = proposed.json<Proposal>();
      expect(proposal).toMatchObject({ tool: 'upsert_package', status: 'PENDING', proposedBy: { type: 'API_KEY', id: agent.id }, decidedBy: null, result: null });
      expect(proposal.payload).toEqual({ action: 'create', package: { name: 'Full Day', basePrice: 150000 } });
      expect(proposal.summary).toBe('Create package "Full Day" at 1500.00 (150000 cents) in the General segment (no segmentId given).');
      expect(Date.parse(proposal.expiresAt)).toBeGreaterThan(Date.now() + 3_600_000);
      expect((await packages(human)).map((item) => item.name)).not.toContain('Full Day');

      const confirmed = await call('POST', `/agent/proposals/${proposal.id}/confirm`, human);
      expect(confirmed.statusCode).toBe(200);
      const done = confirmed.json<Proposal>();
      expect(done).toMatchObject({ status: 'CONFIRMED', decidedBy: humanId, result: { name: 'Full Day', slug: 'full-day', segmentId: general.id, basePrice: 150000 } });
      expect((await packages(human)).find((item) => item.slug === 'full-day')).toMatchObject({ segmentId: general.id });
      const fallback = logs.entries.find((entry) => entry.msg === 'package without a segment assigned to the General segment' && entry.tenantId === tenant.id);
      expect(fallback).toMatchObject({ packageSlug: 'full-day', source: 'agent' });

      // Audited with both actors: the agent proposing, the human confirming (and who proposed).
      const events = await fixtures.query<{ action: string; actorType: string; actorId: string; metadata: { proposedBy?: { type: string; id: string } } }>(
        `SELECT action, "actorType", "actorId", metadata FROM audit_events WHERE "targetId" = $1 ORDER BY "occurredAt"`,
        [proposal.id],
      );
      expect(events.map((event) => [event.action, event.actorType, event.actorId])).toEqual([
        ['agent.proposal.created', 'API_KEY', agent.id],
        ['agent.proposal.confirmed', 'USER', humanId],
      ]);
      expect(events[1].metadata.proposedBy).toEqual({ type: 'API_KEY', id: agent.id });
    });

    it('accepts the legacy names title and priceCents; the new names win when both are sent', async () => {
      const { agent } = await setup();
      const legacy = (await invoke(agent.secret, 'upsert_package', { title: 'Legacy', priceCents: 500 })).json<Proposal>();
      expect(legacy.payload).toEqual({ action: 'create', package: { name: 'Legacy', basePrice: 500 } });
      const both = (await invoke(agent.secret, 'upsert_package', { name: 'New', title: 'Old', basePrice: 700, priceCents: 1 })).json<Proposal>();
      expect(both.payload).toEqual({ action: 'create', package: { name: 'New', basePrice: 700 } });
    });

    it('422 MISSING_FIELD names the missing name or price when creating', async () => {
      const { agent } = await setup();
      const noName = await invoke(agent.secret, 'upsert_package', { basePrice: 100 });
      expect([noName.statusCode, noName.json<ErrorBody>().code]).toEqual([422, 'MISSING_FIELD']);
      expect(noName.json<ErrorBody>().details).toEqual([{ field: 'name', message: 'is required to create a package' }]);
      expect(noName.json<ErrorBody>().error).toContain('name');
      const noPrice = await invoke(agent.secret, 'upsert_package', { title: 'Priceless' });
      expect(noPrice.json<ErrorBody>().details!.map((detail) => detail.field)).toEqual(['basePrice']);
      const listed = await call('GET', '/agent/proposals', agent.secret);
      expect(listed.json<{ total: number }>().total).toBe(0);
    });

    it("another tenant's segment is 404 SEGMENT_NOT_FOUND with a hint to call get_segments, and no proposal", async () => {
      const { agent } = await setup();
      const other = await setup();
      const response = await invoke(agent.secret, 'upsert_package', { name: 'X', basePrice: 1, segmentId: other.general.id });
      expect(response.statusCode).toBe(404);
      const body = response.json<ErrorBody>();
      expect(body.code).toBe('SEGMENT_NOT_FOUND');
      expect(body.error).toContain('get_segments');
      expect(body.details).toEqual([{ field: 'segmentId', message: expect.stringContaining('get_segments') }]);
      expect((await call('GET', '/agent/proposals', agent.secret)).json<{ total: number }>().total).toBe(0);
    });

    it('updates by packageId or by slug, describing the change', async () => {
      const { agent, human } = await setup();
      const basic = (await invoke(agent.secret, 'get_package', { slug: 'basic-package' })).json<{ result: Package }>().result;
      const byId = (await invoke(agent.secret, 'upsert_package', { packageId: basic.id, basePrice: 2500 })).json<Proposal>();
      expect(byId.payload).toEqual({ action: 'update', packageId: basic.id, changes: { basePrice: 2500 } });
      expect(byId.summary).toBe('Update package "Basic": basePrice 0 → 2500.');
      const bySlug = (await invoke(agent.secret, 'upsert_package', { slug: 'standard-package', title: 'Standard+' })).json<Proposal>();
      expect(bySlug.summary).toBe('Update package "Standard": name "Standard" → "Standard+".');
      for (const proposal of [byId, bySlug]) expect((await call('POST', `/agent/proposals/${proposal.id}/confirm`, human)).statusCode).toBe(200);
      const after = await packages(human);
      expect(after.find((item) => item.id === basic.id)!.basePrice).toBe(2500);
      expect(after.find((item) => item.slug === 'standard-package')!.name).toBe('Standard+');
      expect(after).toHaveLength(3);
    });
  });

  describe('other write tools', () => {
    it('set_package_active and update_segment go through proposals too', async () => {
      const { agent, human, general } = await setup();
      const premium = (await invoke(agent.secret, 'get_package', { slug: 'premium-package' })).json<{ result: Package }>().result;
      const hide = (await invoke(agent.secret, 'set_package_active', { packageId: premium.id, active: false })).json<Proposal>();
      expect(hide.summary).toBe('Deactivate package "Premium".');
      const rename = (await invoke(agent.secret, 'update_segment', { segmentId: general.id, heroTitle: 'What we offer' })).json<Proposal>();
      expect(rename.summary).toBe('Update segment "General": heroTitle "Our Services" → "What we offer".');
      expect((await call('POST', `/agent/proposals/${hide.id}/confirm`, human)).statusCode).toBe(200);
      expect((await call('POST', `/agent/proposals/${rename.id}/confirm`, human)).statusCode).toBe(200);
      expect((await packages(human)).find((item) => item.id === premium.id)!.active).toBe(false);
      expect((await call('GET', `/segments/${general.id}`, human)).json<{ heroTitle: string }>().heroTitle).toBe('What we offer');
      const missing = await invoke(agent.secret, 'update_segment', { segmentId: '019a0000-0000-7000-8000-000000000000', name: 'X' });
      expect([missing.statusCode, missing.json<ErrorBody>().code]).toEqual([404, 'SEGMENT_NOT_FOUND']);
    });
  });

  describe('proposals', () => {
    it('only a person confirms or rejects: an API key, even with every scope, gets 403', async () => {
      const { agent, human } = await setup();
      const proposal = (await invoke(agent.secret, 'upsert_package', { name: 'Keyed', basePrice: 1 })).json<Proposal>();
      const everything = await createApiKey(handle.app, human, { scopes: ['*'] });
      for (const key of [agent, everything]) {
        for (const action of ['confirm', 'reject']) {
          const response = await call('POST', `/agent/proposals/${proposal.id}/${action}`, key.secret);
          expect([response.statusCode, response.json<ErrorBody>().code]).toEqual([403, 'HUMAN_CONFIRMATION_REQUIRED']);
        }
      }
      expect((await call('GET', `/agent/proposals/${proposal.id}`, agent.secret)).json<Proposal>().status).toBe('PENDING');
    });

    it('concurrent confirms: exactly one executes, the others get 409', async () => {
      const { agent, human } = await setup();
      const proposal = (await invoke(agent.secret, 'upsert_package', { name: 'Raced', basePrice: 1 })).json<Proposal>();
      const results = await Promise.all(Array.from({ length: 8 }, () => call('POST', `/agent/proposals/${proposal.id}/confirm`, human)));
      const statuses = results.map((response) => response.statusCode).sort();
      expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
      for (const response of results.filter((item) => item.statusCode === 409)) expect(response.json<ErrorBody>().code).toBe('PROPOSAL_ALREADY_DECIDED');
      expect((await packages(human)).filter((item) => item.name === 'Raced')).toHaveLength(1);
      const confirmedEvents = await fixtures.query(`SELECT 1 FROM audit_events WHERE "targetId" = $1 AND action = 'agent.proposal.confirmed'`, [proposal.id]);
      expect(confirmedEvents).toHaveLength(1);
    });

    it('an expired proposal is 410 and reads as EXPIRED; nothing runs', async () => {
      const { agent, human } = await setup();
      const proposal = (await invoke(agent.secret, 'upsert_package', { name: 'Late', basePrice: 1 })).json<Proposal>();
      await fixtures.query(`UPDATE agent_proposals SET "expiresAt" = now() - interval '1 second' WHERE id = $1`, [proposal.id]);
      expect((await call('GET', `/agent/proposals/${proposal.id}`, human)).json<Proposal>().status).toBe('EXPIRED');
      const pending = (await call('GET', '/agent/proposals?status=PENDING', human)).json<{ items: Proposal[] }>().items;
      expect(pending.map((item) => item.id)).not.toContain(proposal.id);
      const confirmed = await call('POST', `/agent/proposals/${proposal.id}/confirm`, human);
      expect([confirmed.statusCode, confirmed.json<ErrorBody>().code]).toEqual([410, 'PROPOSAL_EXPIRED']);
      expect((await call('POST', `/agent/proposals/${proposal.id}/reject`, human)).statusCode).toBe(410);
      const expired = (await call('GET', '/agent/proposals?status=EXPIRED', human)).json<{ items: Proposal[] }>().items;
      expect(expired.map((item) => item.id)).toEqual([proposal.id]);
      expect((await packages(human)).map((item) => item.name)).not.toContain('Late');
    });

    it("another tenant's proposal is 404 for get, confirm and reject", async () => {
      const mine = await setup();
      const theirs = await setup();
      const proposal = (await invoke(theirs.agent.secret, 'upsert_package', { name: 'Theirs', basePrice: 1 })).json<Proposal>();
      for (const response of [
        await call('GET', `/agent/proposals/${proposal.id}`, mine.human),
        await call('POST', `/agent/proposals/${proposal.id}/confirm`, mine.human),
        await call('POST', `/agent/proposals/${proposal.id}/reject`, mine.human),
      ]) {
        expect([response.statusCode, response.json<ErrorBody>().code]).toEqual([404, 'PROPOSAL_NOT_FOUND']);
      }
      expect((await call('GET', `/agent/proposals/${proposal.id}`, theirs.human)).json<Proposal>().status).toBe('PENDING');
    });

    it('a rejected proposal is never executed, and lists filter by status', async () => {
      const { agent, human } = await setup();
      const proposal = (await invoke(agent.secret, 'upsert_package', { name: 'Nope', basePrice: 1 })).json<Proposal>();
      const rejected = await call('POST', `/agent/proposals/${proposal.id}/reject`, human, { reason: 'Not now' });
      expect(rejected.json<Proposal>()).toMatchObject({ status: 'REJECTED' });
      const again = await call('POST', `/agent/proposals/${proposal.id}/confirm`, human);
      expect([again.statusCode, again.json<ErrorBody>().code]).toEqual([409, 'PROPOSAL_ALREADY_DECIDED']);
      expect((await call('GET', '/agent/proposals?status=REJECTED', agent.secret)).json<{ items: Proposal[] }>().items.map((item) => item.id)).toEqual([proposal.id]);
      expect((await call('GET', '/agent/proposals?status=MAYBE', agent.secret)).statusCode).toBe(400);
      expect((await packages(human)).map((item) => item.name)).not.toContain('Nope');
    });

    it("an executor's refusal at confirm time (segment deleted meanwhile) changes nothing and marks the proposal FAILED", async () => {
      const { agent, human } = await setup();
      const segment = (await call('POST', '/segments', human, { name: 'Short lived' })).json<{ id: string }>();
      const proposal = (await invoke(agent.secret, 'upsert_package', { name: 'Orphan?', basePrice: 1, segmentId: segment.id })).json<Proposal>();
      expect((await call('DELETE', `/segments/${segment.id}`, human)).statusCode).toBe(204);
      const confirmed = await call('POST', `/agent/proposals/${proposal.id}/confirm`, human);
      expect([confirmed.statusCode, confirmed.json<ErrorBody>().code]).toEqual([404, 'SEGMENT_NOT_FOUND']);
      expect((await call('GET', `/agent/proposals/${proposal.id}`, human)).json<Proposal>()).toMatchObject({ status: 'FAILED', error: { code: 'SEGMENT_NOT_FOUND' } });
      expect((await call('POST', `/agent/proposals/${proposal.id}/confirm`, human)).statusCode).toBe(409);
      expect((await packages(human)).map((item) => item.name)).not.toContain('Orphan?');
    });
  });

  describe('afterwards', () => {
    it('leaves no orphans behind', async () => {
      const client = new Client({ connectionString: handle.database.url });
      await client.connect();
      try {
        expect(await findOrphans(client)).toEqual([]);
      } finally {
        await client.end();
      }
    });
  });
});
