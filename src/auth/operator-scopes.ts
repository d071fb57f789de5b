import { hostname, userInfo } from 'node:os';
import type { PrismaClient } from '../generated/prisma/client';
import { PLATFORM_SCOPES } from './auth.constants';

/**
 * Platform scopes of users, changed from the server's command line (`npm run operators:grant`): the
 * way to make the first operator, before anyone can call an operator route. Each change is one
 * transaction with its audit event (actor `CLI`); the user's row is locked, so concurrent runs
 * change it once.
 */

export enum OperatorScopeErrorCode {
  USER_NOT_FOUND = 'USER_NOT_FOUND',
  UNKNOWN_SCOPE = 'UNKNOWN_SCOPE',
}

export class OperatorScopeError extends Error {
  constructor(
    readonly code: OperatorScopeErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'OperatorScopeError';
  }
}

export type ScopeChangeKind = 'grant' | 'revoke';

export const SCOPE_AUDIT_ACTIONS: Readonly<Record<ScopeChangeKind, string>> = {
  grant: 'operator.scope_granted',
  revoke: 'operator.scope_revoked',
};

export interface ScopeChange {
  changed: boolean;
  userId: string;
  email: string;
  /** The user's platform scopes after the change. */
  scopes: string[];
}

export interface OperatorRow {
  id: string;
  email: string;
  platformScopes: string[];
}

/** Who ran the command: the CLI has no account, so the OS user and host are what the trail can name. */
export function cliActor(): { osUser: string; host: string } {
  let osUser: string;
  try {
    osUser = userInfo().username;
  } catch {
    osUser = process.env.USER ?? process.env.USERNAME ?? 'unknown'; // no passwd entry (some containers)
  }
  return { osUser, host: hostname() };
}

export function isKnownScope(scope: string): boolean {
  return (PLATFORM_SCOPES as readonly string[]).includes(scope);
}

/**
 * Grants or revokes `scope`. Granting a held scope or revoking one not held changes nothing and
 * records nothing. Unknown scopes are refused, except that a held one may be revoked (one set by
 * hand in SQL, which `support:*` would still honour).
 */
export async function changeScope(prisma: PrismaClient, kind: ScopeChangeKind, rawEmail: string, scope: string): Promise<ScopeChange> {
  if (kind === 'grant' && !isKnownScope(scope)) throw unknownScope(scope);
  const email = rawEmail.trim().toLowerCase();
  return prisma.$transaction(async (tx) => {
    const [user] = await tx.$queryRaw<OperatorRow[]>`
      SELECT id, email, "platformScopes" FROM users WHERE email = ${email} FOR UPDATE`;
    if (!user) throw new OperatorScopeError(OperatorScopeErrorCode.USER_NOT_FOUND, `No user has the email ${email}. They sign up first (POST /api/v1/auth/signup).`);
    const held = user.platformScopes.includes(scope);
    if (kind === 'revoke' && !held && !isKnownScope(scope)) throw unknownScope(scope);
    if (held === (kind === 'grant')) return { changed: false, userId: user.id, email: user.email, scopes: user.platformScopes };

    const scopes = kind === 'grant' ? [...user.platformScopes, scope] : user.platformScopes.filter((s) => s !== scope);
    await tx.user.update({ where: { id: user.id }, data: { platformScopes: scopes } });
    await tx.auditEvent.create({
      data: {
        actorType: 'CLI',
        actorId: null,
        action: SCOPE_AUDIT_ACTIONS[kind],
        targetType: 'user',
        targetId: user.id,
        tenantId: null,
        metadata: { email: user.email, scope, scopesBefore: user.platformScopes, scopesAfter: scopes, ...cliActor() },
      },
    });
    return { changed: true, userId: user.id, email: user.email, scopes };
  });
}

/** Users holding any platform scope, by email. */
export function listOperators(prisma: PrismaClient): Promise<OperatorRow[]> {
  return prisma.user.findMany({
    where: { NOT: { platformScopes: { isEmpty: true } } },
    select: { id: true, email: true, platformScopes: true },
    orderBy: { email: 'asc' },
  });
}

export function unknownScopeMessage(scope: string): string {
  return `Unknown scope ${JSON.stringify(scope)}. Known scopes: ${PLATFORM_SCOPES.join(', ')}.`;
}

function unknownScope(scope: string): OperatorScopeError {
  return new OperatorScopeError(OperatorScopeErrorCode.UNKNOWN_SCOPE, unknownScopeMessage(scope));
}
