import type { LightMyRequestResponse } from 'fastify';
import { SignJWT } from 'jose';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../src/auth/auth.constants';
import { bearer, cookieHeader, IdentityFixtures, KeyRow, login, Session, TenantRow } from '../support/identity-fixtures';
import { useTestApp } from '../support/test-app';

/**
 * The attack suite. Every operation the OpenAPI document marks `x-access: tenant` is attacked from
 * tenant A against tenant B's data and with bad credentials. A new tenant-scoped route is attacked
 * without editing this file; its ids come from B's rows, found through the catalog.
 */
const JWT_SECRET = 'attack-suite-jwt-secret-0123456789abcdef';
const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface Operation {
  method: (typeof HTTP_METHODS)[number];
  path: string;
  operationId: string;
  access: string;
  bodySchema?: Schema;
}
interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  minimum?: number;
  minLength?: number;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
}
interface Document {
  paths: Record<string, Partial<Record<string, { operationId: string; 'x-access'?: string; requestBody?: { content: Record<string, { schema: Schema }> } }>>>;
  components: { schemas: Record<string, Schema> };
}

interface Actor {
  tenant: TenantRow;
  session: Session;
  key: KeyRow;
}

describe('tenant isolation: every tenant-scoped route, attacked', () => {
  // A Meta app is configured, so the WhatsApp signup routes run their checks instead of answering 503
  // (its Graph API URL is a closed port: no attack gets far enough to call it).
  const handle = useTestApp({
    env: {
      JWT_SECRET,
      TENANT_COOKIE_SECRET: 'attack-suite-cookie-secret-0123456789abcd',
      META_APP_ID: '1234567890',
      META_APP_SECRET: 'attack-suite-meta-app-secret',
      META_GRAPH_URL: 'http://127.0.0.1:9',
    },
  });
  let fixtures: IdentityFixtures;
  let document: Document;
  let operations: Operation[];
  let a: Actor;
  let b: Actor;
  /** Every id of B's (and A's) rows in every tenant-owned table, by table. */
  let idsOfB: Map<string, string[]>;
  let idsOfA: Map<string, string[]>;
  let tenantOwnedTables: string[];

  beforeAll(async () => {
    fixtures = await IdentityFixtures.connect(handle.database.url);
    document = (await handle.app.inject({ method: 'GET', url: '/docs/openapi.json' })).json<Document>();
    operations = Object.entries(document.paths).flatMap(([path, item]) =>
      HTTP_METHODS.filter((method) => item[method]).map((method) => {
        const op = item[method]!;
        return {
          method,
          path,
          operationId: op.operationId,
          access: op['x-access'] ?? 'undeclared',
          bodySchema: op.requestBody?.content['application/json']?.schema,
        };
      }),
    );
    a = await actor('A');
    b = await actor('B');
    tenantOwnedTables = (
      await fixtures.query<{ table_name: string }>(
        `SELECT c.relname AS table_name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relrowsecurity AND c.relforcerowsecurity ORDER BY 1`,
      )
    ).map((row) => row.table_name);
    idsOfB = new Map();
    idsOfA = new Map();
    for (const table of tenantOwnedTables) {
      const rows = await fixtures.query<{ id: string }>(`SELECT id::text FROM "${table}" WHERE "tenantId" = $1`, [b.tenant.id]);
      idsOfB.set(table, rows.map((row) => row.id));
      const own = await fixtures.query<{ id: string }>(`SELECT id::text FROM "${table}" WHERE "tenantId" = $1`, [a.tenant.id]);
      idsOfA.set(table, own.map((row) => row.id));
    }
  });
  afterAll(() => fixtures.close());

  async function actor(name: string): Promise<Actor> {
    const { tenant, owner, key } = await fixtures.tenantWithOwner(name);
    await fixtures.agentProposal(tenant.id);
    return { tenant, key, session: await login(handle.app, owner) };
  }

  const tenantRoutes = () => operations.filter((operation) => operation.access === 'tenant');

  /**
   * B's id for a path like `/api/v1/api-keys/{id}`: the collection names the table (`api_keys`;
   * `/agent/proposals/{id}`: `agent_proposals`). A parameter that names no row (a tool's `{name}`)
   * gets one of B's key ids: that must not resolve to anything either.
   */
  function idOfBFor(path: string, rows = idsOfB): string {
    const resource = path.replace(/^\/api\/v1\//, '').split('/{')[0];
    const candidates = [resource.replace(/[/-]/g, '_'), resource.split('/')[0].replace(/-/g, '_')];
    const table = candidates.find((name) => rows.has(name)) ?? (path.includes('{id}') ? candidates[0] : 'api_keys');
    const ids = rows.get(table);
    if (!ids?.length) throw new Error(`No row of tenant ${rows === idsOfB ? 'B' : 'A'} in "${table}" for ${path}: seed one in the fixtures`);
    return ids[0];
  }

  function urlFor(operation: Operation, id: string): string {
    return operation.path.replace(/\{[^}]+\}/g, id);
  }

  function send(operation: Operation, url: string, headers: Record<string, string>): Promise<LightMyRequestResponse> {
    const payload = operation.bodySchema ? sample(operation.bodySchema) : undefined;
    return handle.app.inject({ method: operation.method.toUpperCase() as 'GET', url, headers, payload: payload as object });
  }

  function sample(schema: Schema): unknown {
    if (schema.$ref) return sample(document.components.schemas[schema.$ref.split('/').pop()!]);
    if (schema.allOf) return Object.assign({}, ...schema.allOf.map((part) => sample(part) as object));
    if (schema.example !== undefined) return schema.example;
    if (schema.enum) return schema.enum[0];
    switch (schema.type) {
      case 'object':
        return Object.fromEntries((schema.required ?? []).map((name) => [name, sample(schema.properties![name])]));
      case 'array':
        return [];
      case 'integer':
      case 'number':
        return schema.minimum ?? 1;
      case 'boolean':
        return true;
      default:
        return schema.format === 'uuid' ? a.tenant.id : 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    }
  }

  /** B's rows as JSON, to prove an attack changed nothing. */
  async function snapshotOfB(tenantId = b.tenant.id): Promise<string> {
    const parts = [];
    for (const table of tenantOwnedTables) {
      parts.push(await fixtures.query(`SELECT * FROM "${table}" WHERE "tenantId" = $1 ORDER BY 1, 2`, [tenantId]));
    }
    return JSON.stringify(parts);
  }

  const mentionsB = (body: string) => [...idsOfB.values()].flat().some((id) => body.includes(id)) || body.includes(b.tenant.id);

  it('finds the tenant-scoped routes in the OpenAPI document, and every operation declares its access', () => {
    expect(tenantRoutes().length).toBeGreaterThan(0);
    expect(operations.filter((operation) => !['public', 'authenticated', 'tenant', 'operator'].includes(operation.access))).toEqual([]);
  });

  it('tenant B has a row in every tenant-owned table (so every route has an id to attack with)', () => {
    expect(tenantOwnedTables.length).toBeGreaterThan(0);
    for (const table of tenantOwnedTables) expect({ table, rows: idsOfB.get(table)!.length > 0 }).toEqual({ table, rows: true });
  });

  it("another tenant's ids are 404 with every credential of A, and B's data is unchanged", async () => {
    const before = await snapshotOfB();
    const credentials = {
      jwt: bearer(a.session.accessToken),
      apiKey: bearer(a.key.secret),
      // As a browser on the API's own origin sends it (writes without an allowed Origin are refused
      // before any data is reached: the next test).
      cookie: { cookie: cookieHeader(a.session.cookies), origin: 'http://localhost' },
    };
    for (const operation of tenantRoutes().filter((op) => op.path.includes('{'))) {
      for (const [credential, headers] of Object.entries(credentials)) {
        const response = await send(operation, urlFor(operation, idOfBFor(operation.path)), headers);
        expect({ operation: operation.operationId, credential, status: response.statusCode }).toEqual({ operation: operation.operationId, credential, status: 404 });
        expect(mentionsB(response.body)).toBe(false);
      }
    }
    expect(await snapshotOfB()).toBe(before);
  });

  it("a cookie session's writes from another origin, or that name none, are 403 CSRF_ORIGIN_REFUSED on every route, and change nothing", async () => {
    const before = await snapshotOfB(a.tenant.id);
    const refreshTokens = () => fixtures.query(`SELECT id, "revokedAt" FROM refresh_tokens ORDER BY id`);
    const tokensBefore = JSON.stringify(await refreshTokens());
    const cookie = cookieHeader(a.session.cookies);
    const crossSite = {
      evilOrigin: { cookie, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      sameSiteOtherOrigin: { cookie, origin: 'http://console.localhost', 'sec-fetch-site': 'same-site' },
      nullOrigin: { cookie, origin: 'null' },
      otherPort: { cookie, origin: 'http://localhost:8080' },
      noOriginAtAll: { cookie },
    };
    const writes = operations.filter((op) => op.method !== 'get' && (op.access === 'tenant' || op.access === 'authenticated'));
    expect(writes.length).toBeGreaterThan(5);
    for (const operation of writes) {
      // A's own ids: were the request let through, it would succeed.
      const url = operation.path.includes('{') ? urlFor(operation, idOfBFor(operation.path, idsOfA)) : operation.path;
      for (const [name, headers] of Object.entries(crossSite)) {
        const response = await send(operation, url, headers);
        expect({ operation: operation.operationId, name, status: response.statusCode, code: response.json<{ code: string }>().code }).toEqual({
          operation: operation.operationId,
          name,
          status: 403,
          code: 'CSRF_ORIGIN_REFUSED',
        });
      }
    }
    expect(await snapshotOfB(a.tenant.id)).toBe(before);
    expect(JSON.stringify(await refreshTokens())).toBe(tokensBefore);
    // The same session from its own origin still works (logout was refused above, not performed).
    const sameOrigin = await handle.app.inject({ method: 'POST', url: '/api/v1/segments', headers: { cookie, 'sec-fetch-site': 'same-origin' }, payload: { name: 'Same origin' } });
    expect(sameOrigin.statusCode).toBe(201);
  });

  it('spoofed x-tenant-id / x-tenant-slug headers are ignored', async () => {
    const before = await snapshotOfB();
    const spoofed = { ...bearer(a.session.accessToken), 'x-tenant-id': b.tenant.id, 'x-tenant-slug': b.tenant.slug };
    for (const operation of tenantRoutes()) {
      const url = operation.path.includes('{') ? urlFor(operation, idOfBFor(operation.path)) : operation.path;
      const response = await send(operation, url, spoofed);
      expect({ operation: operation.operationId, mentionsB: mentionsB(response.body), status: response.statusCode < 500 }).toEqual({
        operation: operation.operationId,
        mentionsB: false,
        status: true,
      });
      if (operation.path.includes('{')) expect(response.statusCode).toBe(404);
    }
    expect(await snapshotOfB()).toBe(before);
  });

  it('a forged or mismatched tenant_sig cookie is 403 on every route', async () => {
    const forged = { ...a.session.cookies, tenant_sig: 'v1.Zm9yZ2VkLXNpZ25hdHVyZS1mb3JnZWQtc2lnbmF0dXJlLTA' };
    const mismatched = { ...a.session.cookies, tenant_sig: b.session.cookies.tenant_sig };
    for (const operation of tenantRoutes()) {
      for (const [name, cookies] of Object.entries({ forged, mismatched })) {
        const response = await send(operation, urlFor(operation, idOfBFor(operation.path.includes('{') ? operation.path : '/api/v1/api-keys')), {
          cookie: cookieHeader(cookies),
        });
        expect({ operation: operation.operationId, name, status: response.statusCode }).toEqual({ operation: operation.operationId, name, status: 403 });
      }
    }
  });

  it("B's API key reaches none of A's data", async () => {
    const ownIdsOfA = (await fixtures.query<{ id: string }>(`SELECT id::text FROM api_keys WHERE "tenantId" = $1`, [a.tenant.id])).map((row) => row.id);
    for (const operation of tenantRoutes()) {
      if (operation.method !== 'get') continue;
      const url = operation.path.includes('{') ? urlFor(operation, ownIdsOfA[0]) : operation.path;
      const response = await send(operation, url, bearer(b.key.secret));
      if (operation.path.includes('{')) expect({ operation: operation.operationId, status: response.statusCode }).toEqual({ operation: operation.operationId, status: 404 });
      expect(ownIdsOfA.some((id) => response.body.includes(id)) || response.body.includes(a.tenant.id)).toBe(false);
    }
  });

  it('expired, revoked and logged-out credentials are 401 on every route', async () => {
    const expiredKey = await fixtures.apiKey(a.tenant.id, { expiresAt: new Date(Date.now() - 1000) });
    const revokedKey = await fixtures.apiKey(a.tenant.id, { revoked: true });
    const claims = JSON.parse(Buffer.from(a.session.accessToken.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
    const expiredToken = await new SignJWT({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .sign(new TextEncoder().encode(JWT_SECRET));
    const { owner } = await fixtures.tenantWithOwner('C');
    const loggedOut = await login(handle.app, owner);
    expect((await handle.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(loggedOut.accessToken) })).statusCode).toBe(204);

    const bad = {
      expiredKey: bearer(expiredKey.secret),
      revokedKey: bearer(revokedKey.secret),
      expiredToken: bearer(expiredToken),
      loggedOutToken: bearer(loggedOut.accessToken),
      loggedOutCookie: { cookie: cookieHeader(loggedOut.cookies) },
      none: {},
    };
    for (const operation of tenantRoutes()) {
      for (const [name, headers] of Object.entries(bad)) {
        const response = await send(operation, urlFor(operation, idOfBFor(operation.path.includes('{') ? operation.path : '/api/v1/api-keys')), headers);
        expect({ operation: operation.operationId, name, status: response.statusCode, code: response.json<{ code: string }>().code }).toEqual({
          operation: operation.operationId,
          name,
          status: 401,
          code: 'UNAUTHENTICATED',
        });
      }
    }
  });
});
