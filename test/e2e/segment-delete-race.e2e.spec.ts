import { bearer, IdentityFixtures, type KeyRow } from '../support/identity-fixtures';
import { useTestApp } from '../support/test-app';
import { describeWithPostgres } from '../support/test-database';

const ENV = { JWT_SECRET: 'segment-race-jwt-secret-0123456789abcdefgh', TENANT_COOKIE_SECRET: 'segment-race-cookie-secret-0123456789abcdef' };
const ROUNDS = 25;

/**
 * Deleting S1 with moveTo=S2 while S2 is deleted with moveTo=S1 used to deadlock (each delete held
 * its own segment row and waited for the other's) and answer 500. Concurrency needs a server with
 * several connections, so not on the embedded database.
 */
describeWithPostgres('crossed segment deletes', () => {
  const handle = useTestApp({ env: ENV });
  let fixtures: IdentityFixtures;
  let key: KeyRow;
  let tenantId: string;

  beforeAll(async () => {
    fixtures = await IdentityFixtures.connect(handle.database.url);
    ({ key, tenant: { id: tenantId } } = await fixtures.tenantWithOwner('Race Co'));
  });
  afterAll(() => fixtures.close());

  const call = (method: 'POST' | 'DELETE', url: string, payload?: object) => handle.app.inject({ method, url: `/api/v1${url}`, headers: bearer(key.secret), payload });

  async function segmentWithPackage(name: string): Promise<string> {
    const segment = await call('POST', '/segments', { name });
    expect(segment.statusCode).toBe(201);
    const id = segment.json<{ id: string }>().id;
    expect((await call('POST', '/packages', { name: `${name} package`, basePrice: 100, segmentId: id })).statusCode).toBe(201);
    return id;
  }

  const packageCount = async () => Number((await fixtures.query<{ n: string }>('SELECT count(*) AS n FROM packages WHERE "tenantId" = $1', [tenantId]))[0].n);

  it(`never deadlock nor answer 5xx; one wins, the other finds its target gone (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const s1 = await segmentWithPackage(`Left ${round}`);
      const s2 = await segmentWithPackage(`Right ${round}`);
      const before = await packageCount();
      // Upper case on one side: the same ids, however they are spelled.
      const [left, right] = await Promise.all([call('DELETE', `/segments/${s1}?moveTo=${s2.toUpperCase()}`), call('DELETE', `/segments/${s2}?moveTo=${s1}`)]);
      const outcome = [left, right].map((response) => response.statusCode).sort();
      expect({ round, outcome }).toEqual({ round, outcome: [204, 404] });
      const loser = left.statusCode === 404 ? left : right;
      expect(loser.json<{ code: string; details: Array<{ field: string }> }>()).toMatchObject({ code: 'SEGMENT_NOT_FOUND', details: [{ field: 'moveTo' }] });
      // Nothing lost: both packages are in the surviving segment.
      const survivor = left.statusCode === 204 ? s2 : s1;
      expect(await packageCount()).toBe(before);
      const inSurvivor = await fixtures.query('SELECT 1 FROM packages WHERE "tenantId" = $1 AND "segmentId" = $2', [tenantId, survivor]);
      expect(inSurvivor).toHaveLength(2);
    }
  });
});
