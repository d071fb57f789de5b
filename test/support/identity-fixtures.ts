import { PasswordHasher } from '../../src/auth/password-hasher.service';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DEFAULT_PACKAGES, DEFAULT_SEGMENT } from '../../src/provisioning/tenant-defaults';
import { generateKeyMaterial } from '../../src/auth/secret-tokens';

export interface TenantRow {
  id: string;
  slug: string;
}
export interface UserRow {
  id: string;
  email: string;
  password: string;
}
export interface KeyRow {
  id: string;
  publicId: string;
  secret: string;
}

const unique = () => randomBytes(4).toString('hex');

/**
 * Rows for identity tests, written with plain SQL as the database owner (provisioning arrives with its
 * own issue). Names are random, so suites can share the embedded database.
 */
export class IdentityFixtures {
  private constructor(private readonly client: Client) {}

  static async connect(url: string): Promise<IdentityFixtures> {
    const client = new Client({ connectionString: url });
    // The suite's database may be dropped (WITH FORCE) before this connection is closed.
    client.on('error', () => {});
    await client.connect();
    return new IdentityFixtures(client);
  }

  async close(): Promise<void> {
    await this.client.end();
  }

  query<T extends object = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.client.query<T>(sql, params).then((result) => result.rows);
  }

  async tenant(name = 'Tenant'): Promise<TenantRow> {
    const slug = `t-${unique()}`;
    const id = randomUUID();
    await this.query(`INSERT INTO tenants (id, slug, name, email, status) VALUES ($1, $2, $3, $4, 'ACTIVE')`, [id, slug, name, `${slug}@example.com`]);
    // What provisioning gives every tenant, so tenant-owned tables all hold rows of each tenant.
    const segmentId = randomUUID();
    await this.query(`INSERT INTO segments ("tenantId", id, slug, name, "heroTitle", description) VALUES ($1, $2, $3, $4, $5, $6)`, [
      id, segmentId, DEFAULT_SEGMENT.slug, DEFAULT_SEGMENT.name, DEFAULT_SEGMENT.heroTitle, DEFAULT_SEGMENT.description,
    ]);
    for (const tier of DEFAULT_PACKAGES) {
      await this.query(
        `INSERT INTO packages ("tenantId", id, "segmentId", slug, name, description, "basePrice", "groupingOrder") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [id, randomUUID(), segmentId, tier.slug, tier.name, tier.description, tier.basePrice, tier.groupingOrder],
      );
    }
    await this.integrations(id);
    return { id, slug };
  }

  /**
   * A row in each integration table (what the integration routes create through the API: the
   * credentials and WhatsApp suites make the same things as a user would), so the isolation suite has
   * an id of each to attack with. The credential's ciphertext is random bytes: it opens under no key.
   */
  async integrations(tenantId: string): Promise<void> {
    await this.query(
      `INSERT INTO integration_credentials ("tenantId", id, type, "keyId", ciphertext, fingerprint, last4) VALUES ($1, $2, 'genesys_client_secret', 'fixture', $3, $4, '')`,
      [tenantId, randomUUID(), randomBytes(64), randomBytes(8).toString('hex')],
    );
    await this.query(`INSERT INTO integration_configs ("tenantId", id, provider, settings) VALUES ($1, $2, 'genesys', '{"region":"mypurecloud.com"}')`, [tenantId, randomUUID()]);
    const wamid = `wamid.fixture-${unique()}`;
    await this.query(
      `INSERT INTO whatsapp_inbound_events ("tenantId", id, kind, "dedupeKey", "metaId", "phoneNumberId", payload) VALUES ($1, $2, 'MESSAGE', $3, $4, 'fixture', '{}')`,
      [tenantId, randomUUID(), `message:${wamid}`, wamid],
    );
    await this.query(`INSERT INTO whatsapp_signup_states ("tenantId", id, "userId", "expiresAt") VALUES ($1, $2, $3, now() + interval '10 minutes')`, [
      tenantId,
      randomUUID(),
      randomUUID(),
    ]);
    await this.query(
      `INSERT INTO idempotency_keys ("tenantId", id, key, fingerprint, "lockedUntil", "expiresAt") VALUES ($1, $2, $3, $4, now(), now() + interval '1 day')`,
      [tenantId, randomUUID(), `fixture-${unique()}`, randomBytes(32).toString('hex')],
    );
  }

  async user(options: { platformScopes?: string[]; password?: string } = {}): Promise<UserRow> {
    const id = randomUUID();
    const email = `user-${unique()}@example.com`;
    const password = options.password ?? `pw-${unique()}-${unique()}`;
    await this.query(`INSERT INTO users (id, email, "passwordHash", "platformScopes") VALUES ($1, $2, $3, $4)`, [
      id,
      email,
      await new PasswordHasher().hash(password),
      options.platformScopes ?? [],
    ]);
    return { id, email, password };
  }

  async member(tenantId: string, userId: string, role: 'OWNER' | 'ADMIN' | 'MEMBER' = 'OWNER'): Promise<void> {
    await this.query(`INSERT INTO tenant_memberships ("tenantId", "userId", role) VALUES ($1, $2, $3)`, [tenantId, userId, role]);
  }

  async apiKey(tenantId: string, options: { scopes?: string[]; expiresAt?: Date; revoked?: boolean } = {}): Promise<KeyRow> {
    const material = generateKeyMaterial('tenant');
    const id = randomUUID();
    await this.query(
      `INSERT INTO api_keys ("tenantId", id, "publicId", "secretHash", name, scopes, "expiresAt", "revokedAt") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [tenantId, id, material.publicId, material.secretHash, `key-${unique()}`, options.scopes ?? ['*'], options.expiresAt ?? null, options.revoked ? new Date() : null],
    );
    return { id, publicId: material.publicId, secret: material.secret };
  }

  /** A pending agent proposal (as an agent's key would leave one). */
  async agentProposal(tenantId: string): Promise<string> {
    const id = randomUUID();
    await this.query(
      `INSERT INTO agent_proposals ("tenantId", id, tool, payload, summary, "proposedByType", "expiresAt") VALUES ($1, $2, 'set_package_active', '{}', 'Fixture proposal', 'API_KEY', now() + interval '1 day')`,
      [tenantId, id],
    );
    return id;
  }

  async serviceAccount(scopes: string[], options: { revoked?: boolean } = {}): Promise<KeyRow> {
    const material = generateKeyMaterial('service');
    const id = randomUUID();
    await this.query(`INSERT INTO service_accounts (id, name, "publicId", "secretHash", scopes, "revokedAt") VALUES ($1, $2, $3, $4, $5, $6)`, [
      id,
      `svc-${unique()}`,
      material.publicId,
      material.secretHash,
      scopes,
      options.revoked ? new Date() : null,
    ]);
    return { id, publicId: material.publicId, secret: material.secret };
  }

  /** A tenant with an OWNER who can sign in, and an API key with every scope. */
  async tenantWithOwner(name = 'Tenant'): Promise<{ tenant: TenantRow; owner: UserRow; key: KeyRow }> {
    const tenant = await this.tenant(name);
    const owner = await this.user();
    await this.member(tenant.id, owner.id, 'OWNER');
    return { tenant, owner, key: await this.apiKey(tenant.id) };
  }
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  tenantId: string | null;
  /** `name=value` pairs from Set-Cookie, ready for a Cookie header. */
  cookies: Record<string, string>;
}

export function cookiesOf(setCookie: string | string[] | undefined): Record<string, string> {
  const list = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie];
  return Object.fromEntries(list.map((line) => line.split(';')[0]).map((pair) => [pair.slice(0, pair.indexOf('=')), decodeURIComponent(pair.slice(pair.indexOf('=') + 1))]));
}

export function cookieHeader(cookies: Record<string, string>): string {
  return Object.entries(cookies)
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join('; ');
}

export async function login(app: NestFastifyApplication, user: { email: string; password: string }, tenantId?: string): Promise<Session> {
  const response = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email, password: user.password, tenantId } });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  const body = response.json<{ accessToken: string; refreshToken: string; tenantId: string | null }>();
  return { ...body, cookies: cookiesOf(response.headers['set-cookie']) };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** An API key made through the API, as a tenant admin would (`token`: a session or a key with api-keys:write). */
export async function createApiKey(app: NestFastifyApplication, token: string, body: { name?: string; scopes?: string[]; expiresAt?: string }): Promise<KeyRow & { scopes: string[] }> {
  const response = await app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(token), payload: { name: 'key', ...body } });
  if (response.statusCode !== 201) throw new Error(`creating an API key failed: ${response.statusCode} ${response.body}`);
  const key = response.json<{ id: string; publicId: string; secretKey: string; scopes: string[] }>();
  return { id: key.id, publicId: key.publicId, secret: key.secretKey, scopes: key.scopes };
}

/** A tenant made the way a business makes one (`POST /auth/signup`): its owner's session (token and browser cookies) and first `*` key. */
export async function signup(app: NestFastifyApplication, businessName = 'Signup Co'): Promise<{ tenantId: string; owner: string; cookies: Record<string, string>; firstKey: KeyRow }> {
  const email = `owner-${unique()}@example.com`;
  const response = await app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload: { email, password: `Correct-Horse-${unique()}-Battery`, businessName: `${businessName} ${unique()}` } });
  if (response.statusCode !== 201) throw new Error(`signup failed: ${response.statusCode} ${response.body}`);
  const body = response.json<{ accessToken: string; tenant: { id: string }; apiKey: { id: string; publicId: string; secretKey: string } }>();
  return { tenantId: body.tenant.id, owner: body.accessToken, cookies: cookiesOf(response.headers['set-cookie']), firstKey: { id: body.apiKey.id, publicId: body.apiKey.publicId, secret: body.apiKey.secretKey } };
}
