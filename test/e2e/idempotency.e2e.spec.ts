import { Controller, Post } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { TenantScoped } from '../../src/auth/access.decorators';
import { IdempotencyPurgeService } from '../../src/idempotency/idempotency-purge.service';
import { IdempotencyService } from '../../src/idempotency/idempotency.service';
import { dumpDatabase, encodingsOf } from '../support/database-dump';
import { bearer, IdentityFixtures, login, type Session, type TenantRow } from '../support/identity-fixtures';
import { useTestApp } from '../support/test-app';

let failuresLeft = 0;

/** A tenant write that crashes on demand (after nothing was committed), to see the key released. */
@Controller('test-idempotency')
class FlakyController {
  @Post()
  @TenantScoped({ minRole: 'ADMIN', scope: 'catalog:write' })
  flaky(): { ok: true } {
    if (failuresLeft-- > 0) throw new Error('crashed mid-way');
    return { ok: true };
  }
}

const key = () => `key-${randomUUID()}`;

describe('idempotency keys', () => {
  const suite = useTestApp({ controllers: [FlakyController] });
  let fixtures: IdentityFixtures;
  let a: { tenant: TenantRow; session: Session };
  let b: { tenant: TenantRow; session: Session };

  beforeAll(async () => {
    fixtures = await IdentityFixtures.connect(suite.database.url);
    for (const name of ['A', 'B']) {
      const { tenant, owner } = await fixtures.tenantWithOwner(name);
      const actor = { tenant, session: await login(suite.app, owner) };
      if (name === 'A') a = actor;
      else b = actor;
    }
  });
  afterAll(() => fixtures.close());

  const createPackage = (session: Session, idempotencyKey: string | undefined, payload: object) =>
    suite.app.inject({
      method: 'POST',
      url: '/api/v1/packages',
      headers: { ...bearer(session.accessToken), ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }) },
      payload,
    });
  const packagesNamed = async (tenantId: string, name: string) =>
    Number((await fixtures.query<{ n: string }>(`SELECT count(*) AS n FROM packages WHERE "tenantId" = $1 AND name = $2`, [tenantId, name]))[0].n);

  it('20 concurrent identical POSTs with one key make exactly one package: one 201, the rest replays or 409 IN_USE', async () => {
    const name = `Concurrent ${randomBytes(4).toString('hex')}`;
    const idempotencyKey = key();
    const responses = await Promise.all(Array.from({ length: 20 }, () => createPackage(a.session, idempotencyKey, { name, basePrice: 1000 })));
    expect(await packagesNamed(a.tenant.id, name)).toBe(1);
    const firsts = responses.filter((r) => r.statusCode === 201 && r.headers['idempotent-replayed'] === undefined);
    const replays = responses.filter((r) => r.statusCode === 201 && r.headers['idempotent-replayed'] === 'true');
    const inUse = responses.filter((r) => r.statusCode === 409);
    expect(firsts).toHaveLength(1);
    expect(replays.length + inUse.length).toBe(19);
    for (const replay of replays) expect(replay.json()).toEqual(firsts[0].json());
    for (const busy of inUse) expect(busy.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_USE' });

    const later = await createPackage(a.session, idempotencyKey, { name, basePrice: 1000 });
    expect({ status: later.statusCode, replayed: later.headers['idempotent-replayed'], body: later.json() }).toEqual({ status: 201, replayed: 'true', body: firsts[0].json() });
  });

  it('the same key with another request is 422; without a key every POST runs', async () => {
    const idempotencyKey = key();
    const name = `Reused ${randomBytes(4).toString('hex')}`;
    expect((await createPackage(a.session, idempotencyKey, { name, basePrice: 1 })).statusCode).toBe(201);
    const other = await createPackage(a.session, idempotencyKey, { name, basePrice: 2 });
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect((await createPackage(a.session, undefined, { name, basePrice: 1 })).statusCode).toBe(201);
    expect(await packagesNamed(a.tenant.id, name)).toBe(2);
    expect((await createPackage(a.session, 'x'.repeat(256), { name, basePrice: 1 })).json()).toMatchObject({ code: 'INVALID_IDEMPOTENCY_KEY' });
    expect((await createPackage(a.session, '', { name, basePrice: 1 })).statusCode).toBe(400);
  });

  it("one tenant's key never replays another tenant's answer", async () => {
    const idempotencyKey = key();
    const name = `Shared key ${randomBytes(4).toString('hex')}`;
    const ofA = await createPackage(a.session, idempotencyKey, { name, basePrice: 5 });
    const ofB = await createPackage(b.session, idempotencyKey, { name, basePrice: 5 });
    expect([ofA.statusCode, ofB.statusCode, ofB.headers['idempotent-replayed']]).toEqual([201, 201, undefined]);
    expect(ofB.json<{ id: string }>().id).not.toBe(ofA.json<{ id: string }>().id);
    expect(ofB.body).not.toContain(a.tenant.id);
    expect(await packagesNamed(b.tenant.id, name)).toBe(1);
  });

  it('refused input is not stored (a corrected retry runs); a business refusal is stored and replayed', async () => {
    const idempotencyKey = key();
    const name = `Corrected ${randomBytes(4).toString('hex')}`;
    expect((await createPackage(a.session, idempotencyKey, { name, basePrice: -1 })).json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await createPackage(a.session, idempotencyKey, { name, basePrice: 1 })).statusCode).toBe(201);

    const refusedKey = key();
    const missingSegment = { name: `Nowhere ${randomBytes(4).toString('hex')}`, basePrice: 1, segmentId: randomUUID() };
    const first = await createPackage(a.session, refusedKey, missingSegment);
    expect(first.json()).toMatchObject({ code: 'SEGMENT_NOT_FOUND' });
    const again = await createPackage(a.session, refusedKey, missingSegment);
    expect({ status: again.statusCode, replayed: again.headers['idempotent-replayed'], body: again.json() }).toEqual({ status: 404, replayed: 'true', body: first.json() });
  });

  it('a request that crashes releases its key, and a key left locked by a dead server is taken over after the lock', async () => {
    const idempotencyKey = key();
    const flaky = () => suite.app.inject({ method: 'POST', url: '/api/v1/test-idempotency', headers: { ...bearer(a.session.accessToken), 'idempotency-key': idempotencyKey } });
    failuresLeft = 1;
    expect((await flaky()).statusCode).toBe(500);
    expect((await flaky()).statusCode).toBe(201);
    expect((await flaky()).headers['idempotent-replayed']).toBe('true');

    const name = `Orphaned ${randomBytes(4).toString('hex')}`;
    const body = { name, basePrice: 3 };
    const fingerprint = IdempotencyService.fingerprint('POST', '/api/v1/packages', body);
    const stuck = key();
    const live = key();
    await fixtures.query(
      `INSERT INTO idempotency_keys ("tenantId", id, key, fingerprint, "lockedUntil", "expiresAt") VALUES
         ($1, gen_random_uuid(), $2, $4, now() - interval '1 second', now() + interval '1 day'),
         ($1, gen_random_uuid(), $3, $4, now() + interval '1 minute', now() + interval '1 day')`,
      [a.tenant.id, stuck, live, fingerprint],
    );
    expect((await createPackage(a.session, live, body)).json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_USE' });
    expect((await createPackage(a.session, stuck, body)).statusCode).toBe(201);
    expect(await packagesNamed(a.tenant.id, name)).toBe(1);
  });

  it('signup replays per key and email, stores the answer sealed (its API key secret is not in the database)', async () => {
    const idempotencyKey = key();
    const input = { email: `idem-${randomBytes(4).toString('hex')}@example.com`, password: `Pw-${randomBytes(12).toString('hex')}`, businessName: 'Idempotent Studio' };
    const signup = (payload: object) => suite.app.inject({ method: 'POST', url: '/api/v1/auth/signup', headers: { 'idempotency-key': idempotencyKey }, payload });
    const first = await signup(input);
    expect(first.statusCode).toBe(201);
    const again = await signup(input);
    expect({ status: again.statusCode, replayed: again.headers['idempotent-replayed'], body: again.json() }).toEqual({ status: 201, replayed: 'true', body: first.json() });
    expect(Number((await fixtures.query<{ n: string }>(`SELECT count(*) AS n FROM tenants WHERE email = $1`, [input.email]))[0].n)).toBe(1);
    const secret = first.json<{ apiKey: { secretKey: string } }>().apiKey.secretKey;
    expect(secret).toMatch(/^sk_/);
    const dump = await dumpDatabase(suite.database.url);
    for (const form of encodingsOf(secret)) expect(dump.includes(form)).toBe(false);
    // Another email with the same key is another request entirely.
    expect((await signup({ ...input, email: `other-${input.email}` })).headers['idempotent-replayed']).toBeUndefined();
  });

  it('expired keys are purged, and an expired key starts afresh', async () => {
    const expired = key();
    await fixtures.query(
      `INSERT INTO idempotency_keys ("tenantId", id, key, fingerprint, state, "lockedUntil", "responseStatus", "responseKeyId", response, "expiresAt")
       VALUES ($1, gen_random_uuid(), $2, $3, 'COMPLETED', now(), 201, 'none', '\\x00', now() - interval '1 second')`,
      [a.tenant.id, expired, 'f'.repeat(64)],
    );
    const name = `Fresh ${randomBytes(4).toString('hex')}`;
    expect((await createPackage(a.session, expired, { name, basePrice: 1 })).headers['idempotent-replayed']).toBeUndefined();

    const gone = key();
    await fixtures.query(`INSERT INTO idempotency_keys ("tenantId", id, key, fingerprint, "lockedUntil", "expiresAt") VALUES ($1, gen_random_uuid(), $2, $3, now(), now() - interval '1 second')`, [
      a.tenant.id,
      gone,
      'e'.repeat(64),
    ]);
    const purged = await suite.app.get(IdempotencyPurgeService).purge();
    expect(purged?.tenantKeys).toBeGreaterThanOrEqual(1);
    expect(await fixtures.query(`SELECT 1 FROM idempotency_keys WHERE key = $1`, [gone])).toEqual([]);
    expect(await fixtures.query(`SELECT 1 FROM idempotency_keys WHERE key = $1`, [expired])).toHaveLength(1);
  });
});
