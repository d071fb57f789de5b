import {
  attempt,
  createPlatformClient,
  idempotencyKey,
  isPlatformApiError,
  operatorOverride,
  paginate,
  PlatformApiError,
  UNEXPECTED_RESPONSE,
  unwrap,
} from '@tenant-platform/sdk';

/**
 * The SDK's own rules, with a stand-in fetch recording what would go on the wire: what a browser or
 * a proxy does that the server journey (test/e2e/sdk-journey.e2e.spec.ts) cannot show.
 */
function recordingFetch(answer: (request: Request) => Response = () => json(200, { ok: true })) {
  const requests: Request[] = [];
  const fetch = (request: Request) => {
    requests.push(request);
    return Promise.resolve(answer(request));
  };
  return { requests, fetch };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

const baseUrl = 'http://api.test';
const packagesNamed = (items: string[], offset: number) =>
  items.map((name, index) => ({ id: `${offset + index}`, name, basePrice: 1, active: true, bookingType: 'DATE', slug: name, segmentId: 's', groupingOrder: 0, description: null, createdAt: '', updatedAt: '' }));

describe('createPlatformClient', () => {
  it('asks the access-token getter before every request, so a refreshed token is used at once', async () => {
    const wire = recordingFetch();
    let token = 'first';
    const client = createPlatformClient({ baseUrl, fetch: wire.fetch, accessToken: () => token });
    await client.GET('/api/v1/account');
    token = 'second';
    await client.GET('/api/v1/account');
    expect(wire.requests.map((request) => request.headers.get('authorization'))).toEqual(['Bearer first', 'Bearer second']);
  });

  it('sends an API key as the bearer credential; a call may bring its own Authorization', async () => {
    const wire = recordingFetch();
    const client = createPlatformClient({ baseUrl, fetch: wire.fetch, apiKey: 'sk_live_abc' });
    await client.GET('/api/v1/packages');
    await client.GET('/api/v1/packages', { headers: { Authorization: 'Bearer sk_other' } });
    expect(wire.requests.map((request) => request.headers.get('authorization'))).toEqual(['Bearer sk_live_abc', 'Bearer sk_other']);
  });

  it('sends no Authorization without a credential, or while the getter has none', async () => {
    const wire = recordingFetch();
    await createPlatformClient({ baseUrl, fetch: wire.fetch }).GET('/api/v1/health/live');
    await createPlatformClient({ baseUrl, fetch: wire.fetch, accessToken: () => undefined }).GET('/api/v1/health/live');
    expect(wire.requests.map((request) => request.headers.has('authorization'))).toEqual([false, false]);
  });

  it('refuses an access token and an API key together (both would be the Authorization header)', () => {
    expect(() => createPlatformClient({ baseUrl, accessToken: 'a', apiKey: 'sk_b' })).toThrow(TypeError);
  });

  it('passes credentials to fetch, for cookie sessions in a browser', async () => {
    const wire = recordingFetch();
    await createPlatformClient({ baseUrl, fetch: wire.fetch, credentials: 'include' }).GET('/api/v1/account');
    expect(wire.requests[0].credentials).toBe('include');
  });

  it('sets the operator override on every request of an overriding client, writes included (the API refuses those)', async () => {
    const wire = recordingFetch();
    const client = createPlatformClient({ baseUrl, fetch: wire.fetch, accessToken: 't', operatorOverride: 'tenant-1' });
    await client.GET('/api/v1/packages');
    await client.POST('/api/v1/packages', { body: { name: 'x', basePrice: 1 } });
    expect(wire.requests.map((request) => request.headers.get('x-operator-override'))).toEqual(['tenant-1', 'tenant-1']);
  });

  it('helpers put the idempotency key and a one-call override on the request', async () => {
    const wire = recordingFetch();
    const client = createPlatformClient({ baseUrl, fetch: wire.fetch, accessToken: 't' });
    await client.POST('/api/v1/packages', { params: { header: idempotencyKey('retry-me') }, body: { name: 'x', basePrice: 1 } });
    await client.POST('/api/v1/packages', { params: { header: idempotencyKey() }, body: { name: 'x', basePrice: 1 } });
    await client.GET('/api/v1/packages', { headers: operatorOverride('tenant-2') });
    const [given, generated, overridden] = wire.requests;
    expect(given.headers.get('idempotency-key')).toBe('retry-me');
    expect(generated.headers.get('idempotency-key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(overridden.headers.get('x-operator-override')).toBe('tenant-2');
    expect(overridden.headers.has('idempotency-key')).toBe(false);
  });
});

describe('typed errors', () => {
  it("carry the envelope's code, message, details and requestId, and Retry-After", async () => {
    const envelope = { error: 'Too many requests', code: 'RATE_LIMITED', requestId: 'req-1', details: [{ message: 'slow down' }] };
    const wire = recordingFetch(() => json(429, envelope, { 'retry-after': '7', 'x-request-id': 'req-1' }));
    const outcome = await attempt(createPlatformClient({ baseUrl, fetch: wire.fetch }).GET('/api/v1/packages'));
    if (outcome.ok) throw new Error('expected a refusal');
    expect(outcome.error).toBeInstanceOf(PlatformApiError);
    expect(outcome.error).toMatchObject({ status: 429, code: 'RATE_LIMITED', message: 'Too many requests', requestId: 'req-1', retryAfterSeconds: 7, details: envelope.details });
    expect(isPlatformApiError(outcome.error, 'RATE_LIMITED')).toBe(true);
    expect(isPlatformApiError(outcome.error, 'FORBIDDEN')).toBe(false);
  });

  it('an answer without the envelope (a proxy page, an empty body) is UNEXPECTED_RESPONSE with the request id header', async () => {
    const answers = [new Response('<html>Bad gateway</html>', { status: 502, headers: { 'x-request-id': 'req-2' } }), new Response(null, { status: 503, headers: { 'content-length': '0' } })];
    const wire = recordingFetch(() => answers.shift() ?? json(500, {}));
    const client = createPlatformClient({ baseUrl, fetch: wire.fetch });
    await expect(unwrap(client.GET('/api/v1/packages'))).rejects.toMatchObject({ status: 502, code: UNEXPECTED_RESPONSE, requestId: 'req-2', retryAfterSeconds: null });
    await expect(unwrap(client.GET('/api/v1/packages'))).rejects.toMatchObject({ status: 503, code: UNEXPECTED_RESPONSE, requestId: null });
  });

  it('unwrap answers the data of a success, and undefined for a 204', async () => {
    const answers = [json(200, { items: [], total: 0, limit: 20, offset: 0 }), new Response(null, { status: 204 })];
    const wire = recordingFetch(() => answers.shift() ?? json(500, {}));
    const client = createPlatformClient({ baseUrl, fetch: wire.fetch });
    expect(await unwrap(client.GET('/api/v1/packages'))).toEqual({ items: [], total: 0, limit: 20, offset: 0 });
    expect(await unwrap(client.DELETE('/api/v1/packages/{id}', { params: { path: { id: 'p' } } }))).toBeUndefined();
  });
});

describe('paginate', () => {
  it('walks offset pages until total, asking for each page only when the loop gets there', async () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    const wire = recordingFetch((request) => {
      const offset = Number(new URL(request.url).searchParams.get('offset'));
      return json(200, { items: packagesNamed(names.slice(offset, offset + 2), offset), total: names.length, limit: 2, offset });
    });
    const client = createPlatformClient({ baseUrl, fetch: wire.fetch });
    const seen: string[] = [];
    for await (const pkg of paginate(({ offset }) => client.GET('/api/v1/packages', { params: { query: { offset, limit: 2 } } }))) {
      seen.push(pkg.name);
      if (pkg.name === 'c') break;
    }
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(wire.requests.map((request) => new URL(request.url).search)).toEqual(['?offset=0&limit=2', '?offset=2&limit=2']);
  });

  it('follows nextCursor until null, and stops on a cursor answered twice instead of looping', async () => {
    const event = (id: string) => ({ id, action: 'x', actorType: 'USER', actorId: null, occurredAt: '', targetType: null, targetId: null, tenantId: null, requestId: null, metadata: {} });
    const pages = [
      { items: [event('1')], nextCursor: 'c1', limit: 1 },
      { items: [event('2')], nextCursor: null, limit: 1 },
    ];
    const wire = recordingFetch(() => json(200, pages.shift()));
    const client = createPlatformClient({ baseUrl, fetch: wire.fetch });
    const ids: string[] = [];
    for await (const item of paginate(({ cursor }) => client.GET('/api/v1/audit-events', { params: { query: { cursor } } }))) ids.push(item.id);
    expect(ids).toEqual(['1', '2']);
    expect(wire.requests.map((request) => new URL(request.url).searchParams.get('cursor'))).toEqual([null, 'c1']);

    const stuck = recordingFetch(() => json(200, { items: [event('3')], nextCursor: 'same', limit: 1 }));
    const looping = createPlatformClient({ baseUrl, fetch: stuck.fetch });
    const walk = async () => {
      for await (const item of paginate(({ cursor }) => looping.GET('/api/v1/audit-events', { params: { query: { cursor } } }))) void item;
    };
    await expect(walk()).rejects.toThrow('same cursor twice');
  });

  it('throws the typed error of a refused page', async () => {
    const wire = recordingFetch(() => json(403, { error: 'This tenant is suspended', code: 'TENANT_SUSPENDED', requestId: 'r' }));
    const client = createPlatformClient({ baseUrl, fetch: wire.fetch });
    const walk = async () => {
      for await (const pkg of paginate(({ offset }) => client.GET('/api/v1/packages', { params: { query: { offset } } }))) void pkg;
    };
    await expect(walk()).rejects.toMatchObject({ code: 'TENANT_SUSPENDED', status: 403 });
  });
});
