import { createContext, useContext } from 'react';
import type { Schemas } from './api';

export type CurrentSession = Schemas['CurrentSessionOutput'];

export interface SessionContextValue {
  session: CurrentSession;
  /** Reads the session again (after a switch, or when the tenant's status may have changed). */
  reload: () => Promise<void>;
  /** The tenant an operator is viewing read-only through X-Operator-Override, if any. */
  viewAs: { id: string; name: string } | null;
  setViewAs: (tenant: { id: string; name: string } | null) => void;
}

export const SessionContext = createContext<SessionContextValue | null>(null);

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside the signed-in shell');
  return value;
}

export function isOperator(session: CurrentSession): boolean {
  return session.platformScopes.some((scope) => scope === 'platform:operator' || scope.startsWith('support:'));
}

/** Operator writes (lifecycle, create): platform:operator only; support:* reads. */
export function canOperate(session: CurrentSession): boolean {
  return session.platformScopes.includes('platform:operator');
}

/** Tenant writes: an admin or owner in their own tenant, never while viewing another as operator. */
export function useCanWrite(): boolean {
  const { session, viewAs } = useSession();
  return !viewAs && (session.role === 'ADMIN' || session.role === 'OWNER');
}

/** Which tenant the tenant screens show: the viewed one, or the session's own. */
export function useTenantInView(): { id: string; name: string } | null {
  const { session, viewAs } = useSession();
  if (viewAs) return viewAs;
  if (!session.tenantId) return null;
  const own = session.memberships.find((membership) => membership.tenantId === session.tenantId);
  return { id: session.tenantId, name: own?.name ?? 'Your tenant' };
}
