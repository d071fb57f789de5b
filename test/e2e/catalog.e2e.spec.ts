import { Client } from 'pg';
import { findOrphans } from '../../src/provisioning/tenant-orphans';
import { bearer, IdentityFixtures, login, type KeyRow, type TenantRow } from '../support/identity-fixtures';
import { LogCapture, useTestApp } from '../support/test-app';

interface ErrorBody {
  code: string;
  details?: Array<{ field: string; message: string }>;
}
interface Segment {
  id: string;
  slug: string;
  name: string;
  sortOrder: number;
  active: boolean;
}
interface Package {
  id: string;
  slug: string;
  name: string;
  segmentId: string;
  basePrice: number;
  groupingOrder: number;
  active: boolean;
  bookingType: string;
}
interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}
interface Storefront {
  slug: string;
  name: string;
  segments: Array<{ slug: string; name: string; packages: Array<{ slug: string; basePrice: number }> }>;
}

const ENV = { JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789', TENANT_COOKIE_SECRET: 'test-cookie-secret-0123456789abcdef012345' };

describe('catalog: segments, packages and the storefront', () => {
  const logs = new LogCapture();
  const handle = useTestApp({ env: ENV, logs });
  let fixtures: IdentityFixtures;

  beforeAll(async () => {
    fixtures = await IdentityFixtures.connect(handle.database.url);
  });
  afterAll(() => fixtures.close());

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, token: string, payload?: object) =>
    handle.app.inject({ method, url: `/api/v1${url}`, headers: bearer(token), payload });

  async function tenant(): Promise<{ tenant: TenantRow; key: KeyRow; general: Segment }> {
    const { tenant, key } = await fixtures.tenantWithOwner('Catalog Co');
    const segments = (await call('GET', '/segments', key.secret)).json<Page<Segment>>();
    return { tenant, key, general: segments.items.find((segment) => segment.slug === 'general')! };
  }

  async function packagesOf(key: KeyRow, query = ''): Promise<Package[]> {
    return (await call('GET', `/packages?limit=100${query}`, key.secret)).json<Page<Package>>().items;
  }

  describe('segments', () => {
    it('creates with a derived slug and the next sort order; a taken slug is 409 SEGMENT_SLUG_TAKEN', async () => {
      const { key } = await tenant();
      const created = await call('POST', '/segments', key.secret, { name: 'Wedding Days', heroTitle: 'Your day' });
      expect(created.statusCode).toBe(201);
      expect(created.json<Segment>()).toMatchObject({ slug: 'wedding-days', name: 'Wedding Days', sortOrder: 1, active: true });
      const again = await call('POST', '/segments', key.secret, { name: 'Other', slug: 'wedding-days' });
      expect(again.statusCode).toBe(409);
      expect(again.json<ErrorBody>().code).toBe('SEGMENT_SLUG_TAKEN');
    });

    it('refuses bad input with 400 and the fields at fault', async () => {
      const { key } = await tenant();
      const response = await call('POST', '/segments', key.secret, { name: '', slug: 'Not A Slug', sortOrder: -1 });
      expect(response.statusCode).toBe(400);
      expect(response.json<ErrorBody>().details!.map((detail) => detail.field).sort()).toEqual(['name', 'slug', 'sortOrder']);
    });

    it('the General segment cannot be deleted or lose its slug, but can be renamed', async () => {
      const { key, general } = await tenant();
      const deleted = await call('DELETE', `/segments/${general.id}`, key.secret);
      expect(deleted.statusCode).toBe(409);
      expect(deleted.json<ErrorBody>().code).toBe('GENERAL_SEGMENT_PROTECTED');
      const reslugged = await call('PATCH', `/segments/${general.id}`, key.secret, { slug: 'main' });
      expect(reslugged.statusCode).toBe(409);
      const renamed = await call('PATCH', `/segments/${general.id}`, key.secret, { name: 'Everything' });
      expect(renamed.json<Segment>()).toMatchObject({ slug: 'general', name: 'Everything' });
    });

    it('deleting a segment with packages is 409 unless moveTo names another segment; then they move in one transaction', async () => {
      const { key, general } = await tenant();
      const weddings = (await call('POST', '/segments', key.secret, { name: 'Weddings' })).json<Segment>();
      for (const name of ['A', 'B', 'C']) expect((await call('POST', '/packages', key.secret, { name, basePrice: 100, segmentId: weddings.id })).statusCode).toBe(201);

      const refused = await call('DELETE', `/segments/${weddings.id}`, key.secret);
      expect(refused.statusCode).toBe(409);
      expect(refused.json<ErrorBody>().code).toBe('SEGMENT_NOT_EMPTY');
      const toItself = await call('DELETE', `/segments/${weddings.id}?moveTo=${weddings.id}`, key.secret);
      expect(toItself.statusCode).toBe(400);
      expect(toItself.json<ErrorBody>().code).toBe('INVALID_MOVE_TARGET');

      expect((await call('DELETE', `/segments/${weddings.id}?moveTo=${general.id}`, key.secret)).statusCode).toBe(204);
      expect((await call('GET', `/segments/${weddings.id}`, key.secret)).statusCode).toBe(404);
      const moved = await packagesOf(key, `&segmentId=${general.id}`);
      expect(moved.map((item) => item.name)).toEqual(expect.arrayContaining(['A', 'B', 'C']));
      expect(moved).toHaveLength(6);
    });

    it("another tenant's segment is 404 everywhere: get, patch, delete and as moveTo (nothing moves)", async () => {
      const mine = await tenant();
      const theirs = await tenant();
      const weddings = (await call('POST', '/segments', mine.key.secret, { name: 'Weddings' })).json<Segment>();
      await call('POST', '/packages', mine.key.secret, { name: 'Only', basePrice: 1, segmentId: weddings.id });

      for (const response of [
        await call('GET', `/segments/${theirs.general.id}`, mine.key.secret),
        await call('PATCH', `/segments/${theirs.general.id}`, mine.key.secret, { name: 'Mine now' }),
        await call('DELETE', `/segments/${theirs.general.id}`, mine.key.secret),
        await call('DELETE', `/segments/${weddings.id}?moveTo=${theirs.general.id}`, mine.key.secret),
      ]) {
        expect(response.statusCode).toBe(404);
        expect(response.json<ErrorBody>().code).toBe('SEGMENT_NOT_FOUND');
      }
      expect((await packagesOf(mine.key, `&segmentId=${weddings.id}`)).map((item) => item.name)).toEqual(['Only']);
      expect((await call('GET', `/segments/${theirs.general.id}`, theirs.key.secret)).json<Segment>().name).toBe('General');
    });

    it('reorders when every segment is listed once; a missing, repeated or foreign id is refused', async () => {
      const { key, general } = await tenant();
      const other = await tenant();
      const a = (await call('POST', '/segments', key.secret, { name: 'A' })).json<Segment>();
      const b = (await call('POST', '/segments', key.secret, { name: 'B' })).json<Segment>();

      const reordered = await call('POST', '/segments/reorder', key.secret, { segmentIds: [b.id, general.id, a.id] });
      expect(reordered.statusCode).toBe(200);
      expect(reordered.json<Segment[]>().map((segment) => [segment.slug, segment.sortOrder])).toEqual([['b', 0], ['general', 1], ['a', 2]]);

      const missing = await call('POST', '/segments/reorder', key.secret, { segmentIds: [a.id, b.id] });
      expect([missing.statusCode, missing.json<ErrorBody>().code]).toEqual([400, 'INVALID_SEGMENT_ORDER']);
      const repeated = await call('POST', '/segments/reorder', key.secret, { segmentIds: [a.id, a.id, b.id, general.id] });
      expect(repeated.statusCode).toBe(400);
      const foreign = await call('POST', '/segments/reorder', key.secret, { segmentIds: [b.id, general.id, a.id, other.general.id] });
      expect([foreign.statusCode, foreign.json<ErrorBody>().code]).toEqual([404, 'SEGMENT_NOT_FOUND']);
    });
  });

  describe('packages', () => {
    it('without segmentId go to the General segment, with derived unique slugs and the next grouping order', async () => {
      const { key, general } = await tenant();
      const first = await call('POST', '/packages', key.secret, { name: 'Full Day!', basePrice: 150000, bookingType: 'TIMESLOT' });
      expect(first.statusCode).toBe(201);
      expect(first.json<Package>()).toMatchObject({ slug: 'full-day', segmentId: general.id, basePrice: 150000, bookingType: 'TIMESLOT', groupingOrder: 4, active: true });
      const second = await call('POST', '/packages', key.secret, { name: 'Full day', basePrice: 1 });
      expect(second.json<Package>().slug).toMatch(/^full-day-[0-9a-f]{6}$/);
      const taken = await call('POST', '/packages', key.secret, { name: 'X', slug: 'full-day', basePrice: 1 });
      expect([taken.statusCode, taken.json<ErrorBody>().code]).toEqual([409, 'PACKAGE_SLUG_TAKEN']);
    });

    it("with another tenant's segmentId: 404 SEGMENT_NOT_FOUND and nothing written", async () => {
      const mine = await tenant();
      const theirs = await tenant();
      const before = await packagesOf(mine.key);
      const response = await call('POST', '/packages', mine.key.secret, { name: 'Sneaky', basePrice: 1, segmentId: theirs.general.id });
      expect(response.statusCode).toBe(404);
      expect(response.json<ErrorBody>()).toMatchObject({ code: 'SEGMENT_NOT_FOUND', details: [{ field: 'segmentId' }] });
      expect(await packagesOf(mine.key)).toEqual(before);
      expect(await packagesOf(theirs.key)).toHaveLength(3);

      const [own] = before;
      const moved = await call('PATCH', `/packages/${own.id}`, mine.key.secret, { segmentId: theirs.general.id });
      expect([moved.statusCode, moved.json<ErrorBody>().code]).toEqual([404, 'SEGMENT_NOT_FOUND']);
    });

    it('validates input: price in whole non-negative cents, known booking type, a name', async () => {
      const { key } = await tenant();
      for (const payload of [{ name: 'A', basePrice: -1 }, { name: 'A', basePrice: 10.5 }, { name: 'A', basePrice: 1, bookingType: 'HOURLY' }, { basePrice: 1 }, { name: 'A' }]) {
        const response = await call('POST', '/packages', key.secret, payload);
        expect({ payload, status: response.statusCode, code: response.json<ErrorBody>().code }).toEqual({ payload, status: 400, code: 'VALIDATION_FAILED' });
      }
    });

    it('lists with segment and active filters and pagination', async () => {
      const { key, general } = await tenant();
      const extra = (await call('POST', '/segments', key.secret, { name: 'Extra' })).json<Segment>();
      for (let index = 0; index < 4; index++) await call('POST', '/packages', key.secret, { name: `E${index}`, basePrice: index, segmentId: extra.id, active: index % 2 === 0 });

      const page = (await call('GET', `/packages?segmentId=${extra.id}&limit=3&offset=0`, key.secret)).json<Page<Package>>();
      expect(page).toMatchObject({ total: 4, limit: 3, offset: 0 });
      expect(page.items.map((item) => item.name)).toEqual(['E0', 'E1', 'E2']);
      const next = (await call('GET', `/packages?segmentId=${extra.id}&limit=3&offset=3`, key.secret)).json<Page<Package>>();
      expect(next.items.map((item) => item.name)).toEqual(['E3']);
      expect((await packagesOf(key, `&segmentId=${extra.id}&active=false`)).map((item) => item.name)).toEqual(['E1', 'E3']);
      expect((await packagesOf(key, `&active=true`)).length).toBe(5);
      expect((await packagesOf(key, `&segmentId=${general.id}`)).length).toBe(3);
      expect((await call('GET', '/packages?active=maybe', key.secret)).statusCode).toBe(400);
      expect((await call('GET', '/packages?limit=1000', key.secret)).statusCode).toBe(400);
    });

    it("another tenant's package is 404 for get, patch and delete, and stays unchanged", async () => {
      const mine = await tenant();
      const theirs = await tenant();
      const [target] = await packagesOf(theirs.key);
      for (const response of [
        await call('GET', `/packages/${target.id}`, mine.key.secret),
        await call('PATCH', `/packages/${target.id}`, mine.key.secret, { basePrice: 1 }),
        await call('DELETE', `/packages/${target.id}`, mine.key.secret),
      ]) {
        expect([response.statusCode, response.json<ErrorBody>().code]).toEqual([404, 'PACKAGE_NOT_FOUND']);
      }
      expect((await call('GET', `/packages/${target.id}`, theirs.key.secret)).json<Package>()).toEqual(target);
    });

    it('deletes packages but never the last one (409 LAST_PACKAGE), even when deleted concurrently', async () => {
      const { key } = await tenant();
      const [a, b, c] = await packagesOf(key);
      expect((await call('DELETE', `/packages/${a.id}`, key.secret)).statusCode).toBe(204);
      const results = await Promise.all([call('DELETE', `/packages/${b.id}`, key.secret), call('DELETE', `/packages/${c.id}`, key.secret)]);
      expect(results.map((response) => response.statusCode).sort()).toEqual([204, 409]);
      expect(results.find((response) => response.statusCode === 409)!.json<ErrorBody>().code).toBe('LAST_PACKAGE');
      expect(await packagesOf(key)).toHaveLength(1);
    });

    it('recreates a missing General segment from the tenant defaults and logs it', async () => {
      const { tenant: row, key, general } = await tenant();
      const spare = (await call('POST', '/segments', key.secret, { name: 'Spare' })).json<Segment>();
      // Break the tenant behind the service's back: General gone, its packages elsewhere.
      await fixtures.query(`UPDATE packages SET "segmentId" = $2 WHERE "tenantId" = $1`, [row.id, spare.id]);
      await fixtures.query(`DELETE FROM segments WHERE "tenantId" = $1 AND id = $2`, [row.id, general.id]);

      const created = await call('POST', '/packages', key.secret, { name: 'Rescued', basePrice: 5 });
      expect(created.statusCode).toBe(201);
      const segments = (await call('GET', '/segments', key.secret)).json<Page<Segment>>().items;
      const recreated = segments.find((segment) => segment.slug === 'general')!;
      expect(recreated).toMatchObject({ name: 'General', sortOrder: 0 });
      expect(created.json<Package>().segmentId).toBe(recreated.id);
      const logged = logs.entries.find((entry) => entry.msg === 'General segment was missing; created it from the tenant defaults' && entry.tenantId === row.id);
      expect(logged).toMatchObject({ segmentId: recreated.id });
      const fallback = logs.entries.find((entry) => entry.msg === 'package without a segment assigned to the General segment' && entry.tenantId === row.id);
      expect(fallback).toMatchObject({ packageSlug: 'rescued', segmentId: recreated.id });
    });
  });

  describe('access', () => {
    it('members read, only admins write; a key with catalog:read only cannot write', async () => {
      const { tenant: row } = await tenant();
      const member = await fixtures.user();
      await fixtures.member(row.id, member.id, 'MEMBER');
      const token = (await login(handle.app, member, row.id)).accessToken;
      expect((await call('GET', '/packages', token)).statusCode).toBe(200);
      expect((await call('POST', '/packages', token, { name: 'No', basePrice: 1 })).statusCode).toBe(403);
      const reader = await fixtures.apiKey(row.id, { scopes: ['catalog:read'] });
      expect((await call('GET', '/segments', reader.secret)).statusCode).toBe(200);
      expect((await call('POST', '/segments', reader.secret, { name: 'No' })).statusCode).toBe(403);
      const resourceWide = await fixtures.apiKey(row.id, { scopes: ['catalog'] });
      expect((await call('POST', '/segments', resourceWide.secret, { name: 'Yes' })).statusCode).toBe(201);
    });
  });

  describe('storefront', () => {
    const storefront = (slug: string, headers: Record<string, string> = {}) => handle.app.inject({ method: 'GET', url: `/api/v1/storefront/${slug}`, headers });

    it('shows active segments in order with their active packages, publicly', async () => {
      const { tenant: row, key, general } = await tenant();
      const hidden = (await call('POST', '/segments', key.secret, { name: 'Hidden', active: false })).json<Segment>();
      await call('POST', '/packages', key.secret, { name: 'Invisible', basePrice: 1, segmentId: hidden.id });
      const first = (await call('POST', '/segments', key.secret, { name: 'First' })).json<Segment>();
      await call('POST', '/segments/reorder', key.secret, { segmentIds: [first.id, general.id, hidden.id] });
      await call('POST', '/packages', key.secret, { name: 'Shown', basePrice: 4200, segmentId: first.id });
      await call('POST', '/packages', key.secret, { name: 'Retired', basePrice: 1, segmentId: first.id, active: false });

      const response = await storefront(row.slug);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      const body = response.json<Storefront>();
      expect(body).toMatchObject({ slug: row.slug, name: 'Catalog Co' });
      expect(body.segments.map((segment) => [segment.slug, segment.packages.map((item) => item.slug)])).toEqual([
        ['first', ['shown']],
        ['general', ['basic-package', 'standard-package', 'premium-package']],
      ]);
      expect(Object.keys(body.segments[0].packages[0]).sort()).toEqual(['basePrice', 'bookingType', 'description', 'id', 'name', 'slug']);
    });

    it('answers 304 to a current ETag, and a new ETag and body right after a catalog change', async () => {
      const { tenant: row, key } = await tenant();
      const first = await storefront(row.slug);
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^".+"$/);
      expect(first.headers['cache-control']).toBe('public, no-cache');
      const cached = await storefront(row.slug, { 'if-none-match': etag });
      expect(cached.statusCode).toBe(304);
      expect(cached.body).toBe('');
      expect((await storefront(row.slug, { 'if-none-match': `"other", W/${etag}` })).statusCode).toBe(304);

      const [basic] = await packagesOf(key);
      await call('PATCH', `/packages/${basic.id}`, key.secret, { basePrice: 9900 });
      const changed = await storefront(row.slug, { 'if-none-match': etag });
      expect(changed.statusCode).toBe(200);
      expect(changed.headers.etag).not.toBe(etag);
      expect(changed.json<Storefront>().segments[0].packages[0].basePrice).toBe(9900);

      await call('PATCH', '/account', key.secret, { name: 'Renamed Co' });
      expect((await storefront(row.slug)).json<Storefront>().name).toBe('Renamed Co');
    });

    it('is 404 for unknown, malformed, suspended and deleted tenants', async () => {
      const { tenant: row } = await tenant();
      expect((await storefront(row.slug)).statusCode).toBe(200);
      const operator = await fixtures.user({ platformScopes: ['platform:operator'] });
      const token = (await login(handle.app, operator)).accessToken;
      expect((await handle.app.inject({ method: 'POST', url: `/api/v1/platform/tenants/${row.id}/suspend`, headers: bearer(token), payload: {} })).statusCode).toBe(200);
      for (const slug of [row.slug, 'no-such-tenant', 'NOT..valid', 'a'.repeat(64)]) {
        const response = await storefront(slug);
        expect({ slug, status: response.statusCode, code: response.json<ErrorBody>().code }).toEqual({ slug, status: 404, code: 'STOREFRONT_NOT_FOUND' });
      }
    });
  });

  // Last, on purpose: whatever the catalog paths above did, no tenant lacks what every tenant has.
  describe('afterwards', () => {
    it('leaves no orphans behind (tenants:check-orphans finds nothing)', async () => {
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
