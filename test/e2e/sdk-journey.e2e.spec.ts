import {
  attempt,
  createPlatformClient,
  idempotencyKey,
  isPlatformApiError,
  paginate,
  PlatformApiError,
  unwrap,
  wasReplayed,
} from '@tenant-platform/sdk';
import { runNpmScript } from '../support/npm-script';
import { ServerProcess } from '../support/server-process';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const MAIN = 'dist/main.js';
const SECRETS = { JWT_SECRET: 'sdk-journey-jwt-secret-0123456789abcdef0123', TENANT_COOKIE_SECRET: 'sdk-journey-cookie-secret-0123456789abcdef01' };
const PASSWORD = 'a sound password 2026';

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function all<Item>(items: AsyncIterable<Item>): Promise<Item[]> {
  const collected: Item[] = [];
  for await (const item of items) collected.push(item);
  return collected;
}

/**
 * The refusal a call must end in: `code` must be one the operation declares (a compile error
 * otherwise), and the error must carry it with this status. A success fails the test.
 */
async function expectRefusal<Code extends string>(
  outcome: Promise<{ ok: true; data: unknown } | { ok: false; error: PlatformApiError<Code> }>,
  status: number,
  code: NoInfer<Code>,
): Promise<PlatformApiError<Code>> {
  const settled = await outcome;
  if (settled.ok) throw new Error(`expected ${status} ${code}, got ${JSON.stringify(settled.data)}`);
  expect(settled.error).toBeInstanceOf(PlatformApiError);
  expect({ status: settled.error.status, code: settled.error.code }).toEqual({ status, code });
  expect(settled.error.requestId).toBe(settled.error.response.headers.get('x-request-id'));
  return settled.error;
}

/**
 * What a developer using @tenant-platform/sdk does, against the real server process, with no other
 * client: sign up, sign in, refresh, run the catalog, publish the storefront, hand out keys, let an
 * agent propose and a person confirm, be suspended and resumed by an operator, read the audit trail.
 * Every call goes through the SDK, and the file compiles under strict with no casts (eslint enforces it).
 */
describe('SDK journey against the server process', () => {
  let database: TestDatabase;
  let server: ServerProcess;
  let baseUrl: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = ServerProcess.start(MAIN, { DATABASE_URL: database.url, ...SECRETS });
    baseUrl = await server.listening();
  });

  afterAll(async () => {
    server?.kill('SIGKILL');
    await database?.drop();
  });

  it('signup → login → refresh → catalog → storefront → API keys → agent proposal → operator suspend/resume → audit', async () => {
    const anonymous = createPlatformClient({ baseUrl });

    // Signup and login.
    const email = `sdk-${unique()}@example.com`;
    const signup = await unwrap(anonymous.POST('/api/v1/auth/signup', { body: { email, password: PASSWORD, businessName: `SDK Studio ${unique()}` } }));
    expect(signup.tenant.status).toBe('ACTIVE');
    expect(signup.segment.name).toBe('General');
    expect(signup.packages.map((pkg) => pkg.name)).toEqual(['Basic', 'Standard', 'Premium']);
    expect(signup.apiKey.secretKey).toMatch(/^sk_/);
    const tenantId = signup.tenant.id;

    const wrong = await expectRefusal(attempt(anonymous.POST('/api/v1/auth/login', { body: { email, password: 'not the password at all' } })), 401, 'INVALID_CREDENTIALS');
    expect(wrong.requestId).toMatch(/\S/);

    const login = await unwrap(anonymous.POST('/api/v1/auth/login', { body: { email, password: PASSWORD } }));
    expect(login).toMatchObject({ tenantId, role: 'OWNER', tokenType: 'Bearer' });

    // The owner's client asks for the token on every request, so a refresh swaps it in place.
    let accessToken = login.accessToken;
    const owner = createPlatformClient({ baseUrl, accessToken: () => accessToken });
    const refreshed = await unwrap(anonymous.POST('/api/v1/auth/refresh', { body: { refreshToken: login.refreshToken } }));
    expect(refreshed.refreshToken).not.toBe(login.refreshToken);
    accessToken = refreshed.accessToken;
    expect((await unwrap(owner.GET('/api/v1/account'))).id).toBe(tenantId);
    // A refresh token works once.
    await expectRefusal(attempt(anonymous.POST('/api/v1/auth/refresh', { body: { refreshToken: login.refreshToken } })), 401, 'REFRESH_TOKEN_INVALID');
    const again = await unwrap(anonymous.POST('/api/v1/auth/login', { body: { email, password: PASSWORD } }));
    accessToken = again.accessToken;

    // Segments and packages.
    const segments = await all(paginate(({ offset }) => owner.GET('/api/v1/segments', { params: { query: { offset } } })));
    expect(segments.map((segment) => segment.name)).toEqual(['General']);
    const weddings = await unwrap(owner.POST('/api/v1/segments', { params: { header: idempotencyKey() }, body: { name: 'Weddings', heroTitle: 'Your big day' } }));
    expect(weddings).toMatchObject({ name: 'Weddings', slug: 'weddings', active: true });

    const createKey = idempotencyKey();
    const fullDay = await attempt(owner.POST('/api/v1/packages', { params: { header: createKey }, body: { name: 'Full day', basePrice: 150_000, segmentId: weddings.id } }));
    if (!fullDay.ok) throw fullDay.error;
    expect(fullDay.response.status).toBe(201);
    expect(fullDay.data).toMatchObject({ segmentId: weddings.id, active: true, bookingType: 'DATE' });
    // A retry with the same key gets the first answer, not a second package.
    const retried = await attempt(owner.POST('/api/v1/packages', { params: { header: createKey }, body: { name: 'Full day', basePrice: 150_000, segmentId: weddings.id } }));
    if (!retried.ok) throw retried.error;
    expect(wasReplayed(retried.response)).toBe(true);
    expect(wasReplayed(fullDay.response)).toBe(false);
    expect(retried.data.id).toBe(fullDay.data.id);

    const hidden = await unwrap(
      owner.POST('/api/v1/packages', { body: { name: 'Evening shoot', basePrice: 40_000, bookingType: 'TIMESLOT', active: false, segmentId: weddings.id } }),
    );
    // A PATCH carries only the field it changes: the fields with defaults stay as they were.
    const repriced = await unwrap(owner.PATCH('/api/v1/packages/{id}', { params: { path: { id: hidden.id } }, body: { basePrice: 45_000 } }));
    expect(repriced).toMatchObject({ id: hidden.id, name: 'Evening shoot', basePrice: 45_000, bookingType: 'TIMESLOT', active: false, segmentId: weddings.id });

    const duplicate = await expectRefusal(attempt(owner.POST('/api/v1/segments', { body: { name: 'Weddings again', slug: 'weddings' } })), 409, 'SEGMENT_SLUG_TAKEN');
    expect(duplicate.details).toEqual([expect.objectContaining({ field: 'slug' })]);

    // Pages of two walk the same list a single page holds.
    const everyPackage = await all(paginate(({ offset }) => owner.GET('/api/v1/packages', { params: { query: { offset, limit: 2 } } })));
    const onePage = await unwrap(owner.GET('/api/v1/packages', { params: { query: { limit: 100 } } }));
    expect(onePage.total).toBe(5);
    expect(everyPackage.map((pkg) => pkg.id)).toEqual(onePage.items.map((pkg) => pkg.id));
    const inWeddings = await all(paginate(({ offset }) => owner.GET('/api/v1/packages', { params: { query: { offset, segmentId: weddings.id } } })));
    expect(inWeddings.map((pkg) => pkg.name).sort()).toEqual(['Evening shoot', 'Full day']);

    // The public storefront shows active packages only.
    const storefront = await unwrap(anonymous.GET('/api/v1/storefront/{slug}', { params: { path: { slug: signup.tenant.slug } } }));
    const shelf = storefront.segments.find((segment) => segment.id === weddings.id);
    expect(shelf?.packages.map((pkg) => pkg.name)).toEqual(['Full day']);

    // API keys: a read-only key reads and cannot write; the list never shows a secret.
    const readKey = await unwrap(owner.POST('/api/v1/api-keys', { body: { name: 'Website widget', scopes: ['catalog:read'] } }));
    expect(readKey.scopes).toEqual(['catalog:read']);
    const widget = createPlatformClient({ baseUrl, apiKey: readKey.secretKey });
    expect((await unwrap(widget.GET('/api/v1/packages'))).total).toBe(5);
    await expectRefusal(attempt(widget.POST('/api/v1/packages', { body: { name: 'Sneaky', basePrice: 1 } })), 403, 'FORBIDDEN');
    const keys = await all(paginate(({ offset }) => owner.GET('/api/v1/api-keys', { params: { query: { offset } } })));
    expect(keys.map((key) => key.name).sort()).toEqual(['Default key', 'Website widget']);
    expect(keys.some((key) => 'secretKey' in key)).toBe(false);

    // An agent's key proposes; only a person confirms.
    const agentKey = await unwrap(owner.POST('/api/v1/api-keys', { body: { name: 'Booking assistant', scopes: ['agent'] } }));
    const agent = createPlatformClient({ baseUrl, apiKey: agentKey.secretKey });
    const tools = await unwrap(agent.GET('/api/v1/agent/tools'));
    expect(tools.tools.map((tool) => tool.function.name)).toContain('upsert_package');
    // A read tool answers 200 with its result at once.
    const read = await attempt(agent.POST('/api/v1/agent/tools/{name}/invoke', { params: { path: { name: 'get_packages' } }, body: { arguments: { segmentId: weddings.id } } }));
    if (!read.ok) throw read.error;
    expect(read.response.status).toBe(200);
    if ('summary' in read.data) throw new Error(`expected a read result, got a proposal: ${read.data.summary}`);
    expect(read.data).toMatchObject({ tool: 'get_packages', result: { total: 2 } });
    const invoked = await attempt(
      agent.POST('/api/v1/agent/tools/{name}/invoke', {
        params: { path: { name: 'upsert_package' }, header: idempotencyKey() },
        body: { arguments: { name: 'Elopement', basePrice: 90_000, segmentId: weddings.id } },
      }),
    );
    if (!invoked.ok) throw invoked.error;
    expect(invoked.response.status).toBe(202);
    // 202 answers a proposal, 200 a read tool's result: the fields tell them apart.
    if (!('summary' in invoked.data)) throw new Error(`expected a proposal, got ${JSON.stringify(invoked.data)}`);
    const proposal = invoked.data;
    expect(proposal).toMatchObject({ tool: 'upsert_package', status: 'PENDING', proposedBy: { type: 'API_KEY', id: agentKey.id } });
    expect((await unwrap(owner.GET('/api/v1/packages'))).total).toBe(5);

    await expectRefusal(attempt(agent.POST('/api/v1/agent/proposals/{id}/confirm', { params: { path: { id: proposal.id } } })), 403, 'HUMAN_CONFIRMATION_REQUIRED');
    const pending = await all(paginate(({ offset }) => owner.GET('/api/v1/agent/proposals', { params: { query: { offset, status: 'PENDING' } } })));
    expect(pending.map((item) => item.id)).toEqual([proposal.id]);
    const confirmed = await unwrap(owner.POST('/api/v1/agent/proposals/{id}/confirm', { params: { path: { id: proposal.id } } }));
    expect(confirmed).toMatchObject({ id: proposal.id, status: 'CONFIRMED', decidedBy: login.user.id, error: null });
    // The result is the package the executor created, the one the catalog now lists.
    expect(confirmed.result).toMatchObject({ name: 'Elopement', basePrice: 90_000, segmentId: weddings.id });
    const elopement = (await all(paginate(({ offset }) => owner.GET('/api/v1/packages', { params: { query: { offset, segmentId: weddings.id } } })))).find(
      (pkg) => pkg.name === 'Elopement',
    );
    expect(elopement?.id).toBe(confirmed.result?.id);
    await expectRefusal(attempt(owner.POST('/api/v1/agent/proposals/{id}/confirm', { params: { path: { id: proposal.id } } })), 409, 'PROPOSAL_ALREADY_DECIDED');

    // An operator, made through the command line the README documents.
    const operatorEmail = `sdk-operator-${unique()}@example.com`;
    await unwrap(anonymous.POST('/api/v1/auth/signup', { body: { email: operatorEmail, password: PASSWORD, businessName: `SDK Ops ${unique()}` } }));
    const operatorLogin = await unwrap(anonymous.POST('/api/v1/auth/login', { body: { email: operatorEmail, password: PASSWORD } }));
    const operator = createPlatformClient({ baseUrl, accessToken: operatorLogin.accessToken });
    await expectRefusal(attempt(operator.GET('/api/v1/platform/tenants/{id}', { params: { path: { id: tenantId } } })), 403, 'FORBIDDEN');
    const granted = await runNpmScript('operators:grant', ['--email', operatorEmail, '--scope', 'platform:operator'], { DATABASE_URL: database.url });
    expect(granted).toMatchObject({ code: 0 });

    const suspended = await unwrap(
      operator.POST('/api/v1/platform/tenants/{id}/suspend', { params: { path: { id: tenantId } }, body: { reason: 'Chargeback under review' } }),
    );
    expect(suspended).toMatchObject({ id: tenantId, status: 'SUSPENDED', statusReason: 'Chargeback under review' });

    // The tenant's own principals are refused with a typed error; its storefront is gone.
    // As a caller handles it: unwrap throws, and the guard narrows to the code.
    let thrown: unknown = null;
    try {
      await unwrap(owner.GET('/api/v1/packages'));
    } catch (error) {
      thrown = error;
    }
    if (!isPlatformApiError(thrown, 'TENANT_SUSPENDED')) throw new Error(`expected TENANT_SUSPENDED, got ${String(thrown)}`);
    expect(thrown).toMatchObject({ status: 403, message: 'This tenant is suspended' });
    expect(thrown.requestId).toBe(thrown.response.headers.get('x-request-id'));
    await expectRefusal(attempt(agent.GET('/api/v1/agent/tools')), 403, 'TENANT_SUSPENDED');
    await expectRefusal(attempt(anonymous.GET('/api/v1/storefront/{slug}', { params: { path: { slug: signup.tenant.slug } } })), 404, 'STOREFRONT_NOT_FOUND');

    // The operator still reads the tenant's data through the override, and may not write with it.
    const overriding = createPlatformClient({ baseUrl, accessToken: operatorLogin.accessToken, operatorOverride: tenantId });
    const seen = await all(paginate(({ offset }) => overriding.GET('/api/v1/packages', { params: { query: { offset } } })));
    expect(seen.map((pkg) => pkg.id).sort()).toEqual([...onePage.items.map((pkg) => pkg.id), elopement?.id].sort());
    await expectRefusal(attempt(overriding.POST('/api/v1/packages', { body: { name: 'Operator write', basePrice: 1 } })), 403, 'OPERATOR_OVERRIDE_READ_ONLY');

    const resumed = await unwrap(operator.POST('/api/v1/platform/tenants/{id}/resume', { params: { path: { id: tenantId } }, body: {} }));
    expect(resumed).toMatchObject({ status: 'ACTIVE', statusReason: null });
    expect((await unwrap(owner.GET('/api/v1/packages'))).total).toBe(6);
    expect((await unwrap(anonymous.GET('/api/v1/storefront/{slug}', { params: { path: { slug: signup.tenant.slug } } }))).slug).toBe(signup.tenant.slug);

    // The platform trail, for operators: the tenant's life with its actors, and the override reads.
    const platformEvents = await all(
      paginate(({ cursor }) => operator.GET('/api/v1/platform/audit-events', { params: { query: { cursor, tenantId, limit: 100 } } })),
    );
    const transitions = platformEvents.filter((event) => event.action.startsWith('tenant.')).reverse();
    expect(transitions.map((event) => [event.action, event.actorId, event.metadata])).toEqual([
      ['tenant.created', signup.user.id, { ownerId: signup.user.id, slug: signup.tenant.slug, source: 'signup' }],
      ['tenant.suspend', operatorLogin.user.id, { from: 'ACTIVE', to: 'SUSPENDED', reason: 'Chargeback under review' }],
      ['tenant.resume', operatorLogin.user.id, { from: 'SUSPENDED', to: 'ACTIVE' }],
    ]);
    expect(platformEvents.filter((event) => event.action === 'operator.override').length).toBeGreaterThan(0);

    // The tenant's own trail, walked two events a page with the cursor, is the same as one page.
    const tenantEvents = await all(paginate(({ cursor }) => owner.GET('/api/v1/audit-events', { params: { query: { cursor, limit: 2 } } })));
    const firstPage = await unwrap(owner.GET('/api/v1/audit-events', { params: { query: { limit: 100 } } }));
    expect(firstPage.nextCursor).toBeNull();
    expect(tenantEvents.map((event) => event.id)).toEqual(firstPage.items.map((event) => event.id));
    const actions = tenantEvents.map((event) => event.action);
    for (const action of ['api_key.created', 'agent.proposal.created', 'agent.proposal.confirmed', 'tenant.suspend', 'tenant.resume']) {
      expect(actions).toContain(action);
    }
    const proposalEvents = tenantEvents.filter((event) => event.targetId === proposal.id).map((event) => [event.action, event.actorType, event.actorId]);
    expect(proposalEvents.reverse()).toEqual([
      ['agent.proposal.created', 'API_KEY', agentKey.id],
      ['agent.proposal.confirmed', 'USER', login.user.id],
    ]);

    // Signing out ends the session the client holds.
    await unwrap(owner.POST('/api/v1/auth/logout'));
    await expectRefusal(attempt(owner.GET('/api/v1/account')), 401, 'UNAUTHENTICATED');
  }, 120_000);
});
