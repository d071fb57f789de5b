import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bearer, IdentityFixtures, login, type UserRow } from '../support/identity-fixtures';
import type { KnownValues } from './input-arbitraries';

/** Who sends a request: nobody, a tenant admin's session, a tenant API key, an operator's session. */
export interface Principal {
  name: string;
  headers(): Record<string, string>;
  /** Signs in again (after the fuzz logged the session out); nothing for credentials without a session. */
  renew(): Promise<void>;
}

/**
 * The tenant the fuzz plays in, its principals and the real ids requests may name. Operator routes
 * aim at a second, victim tenant, so suspending or deleting one leaves the fuzzing tenant working.
 */
export class FuzzWorld {
  private constructor(
    readonly principals: Principal[],
    readonly known: KnownValues,
    private readonly fixtures: IdentityFixtures,
  ) {}

  static async create(app: NestFastifyApplication, databaseUrl: string): Promise<FuzzWorld> {
    const fixtures = await IdentityFixtures.connect(databaseUrl);
    const { tenant, owner, key } = await fixtures.tenantWithOwner('Fuzz Co');
    const admin = await fixtures.user();
    await fixtures.member(tenant.id, admin.id, 'ADMIN');
    const operator = await fixtures.user({ platformScopes: ['platform:operator'] });
    const victim = await fixtures.tenant('Fuzz Victim');
    const spareKey = await fixtures.apiKey(tenant.id);

    const call = async (method: 'GET' | 'POST', url: string, payload?: object) => {
      const response = await app.inject({ method, url: `/api/v1${url}`, headers: bearer(key.secret), payload });
      if (response.statusCode >= 300) throw new Error(`fuzz setup: ${method} ${url} answered ${response.statusCode} ${response.body}`);
      return response.json<Record<string, unknown>>();
    };
    const segments: string[] = [];
    for (const name of ['Fuzz A', 'Fuzz B', 'Fuzz C']) segments.push((await call('POST', '/segments', { name })).id as string);
    await call('POST', '/packages', { name: 'Fuzz package', basePrice: 1000, segmentId: segments[0] });
    const packages = ((await call('GET', '/packages?limit=100')).items as Array<{ id: string }>).map((item) => item.id);
    const proposals = [await fixtures.agentProposal(tenant.id), (await call('POST', '/agent/tools/upsert_package/invoke', { arguments: { name: 'Proposed', basePrice: 500 } })).id as string];
    const toolNames = ((await call('GET', '/agent/tools')).tools as Array<{ function: { name: string } }>).map((tool) => tool.function.name);

    const idsByResource: Record<string, string[]> = {
      segments,
      packages,
      'api-keys': [spareKey.id],
      'agent/proposals': proposals,
      'platform/tenants': [victim.id],
    };
    const known: KnownValues = {
      idsByResource,
      allIds: [...Object.values(idsByResource).flat(), tenant.id, owner.id, admin.id],
      toolNames,
      slugs: [tenant.slug, victim.slug],
    };
    const principals: Principal[] = [
      { name: 'anonymous', headers: () => ({}), renew: async () => {} },
      await sessionPrincipal(app, 'tenant admin (JWT)', admin, tenant.id),
      { name: 'tenant API key', headers: () => bearer(key.secret), renew: async () => {} },
      await sessionPrincipal(app, 'operator (JWT)', operator),
    ];
    return new FuzzWorld(principals, known, fixtures);
  }

  close(): Promise<void> {
    return this.fixtures.close();
  }
}

async function sessionPrincipal(app: NestFastifyApplication, name: string, user: UserRow, tenantId?: string): Promise<Principal> {
  let token = (await login(app, user, tenantId)).accessToken;
  return {
    name,
    headers: () => bearer(token),
    renew: async () => {
      token = (await login(app, user, tenantId)).accessToken;
    },
  };
}
