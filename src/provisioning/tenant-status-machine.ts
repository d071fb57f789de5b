import type { TenantStatus } from '../generated/prisma/enums';

/** What an operator (or provisioning) can ask of a tenant's lifecycle. */
export type LifecycleAction = 'activate' | 'suspend' | 'resume' | 'deprovision' | 'finalize';

/**
 * The lifecycle of docs/architecture.md:
 *   PROVISIONING -> ACTIVE <-> SUSPENDED -> DEPROVISIONING -> DELETED, and ACTIVE -> DEPROVISIONING.
 * Each action lists the statuses it may start from and where it leads.
 */
export const TRANSITIONS: Readonly<Record<LifecycleAction, { from: readonly TenantStatus[]; to: TenantStatus }>> = {
  activate: { from: ['PROVISIONING'], to: 'ACTIVE' },
  suspend: { from: ['ACTIVE'], to: 'SUSPENDED' },
  resume: { from: ['SUSPENDED'], to: 'ACTIVE' },
  deprovision: { from: ['ACTIVE', 'SUSPENDED'], to: 'DEPROVISIONING' },
  finalize: { from: ['DEPROVISIONING'], to: 'DELETED' },
};

export type TransitionOutcome =
  | { kind: 'move'; to: TenantStatus }
  /** Finalize of a tenant that is already DELETED: nothing to do, not an error. */
  | { kind: 'already-done' }
  | { kind: 'illegal' };

export function planTransition(current: TenantStatus, action: LifecycleAction): TransitionOutcome {
  const rule = TRANSITIONS[action];
  if (rule.from.includes(current)) return { kind: 'move', to: rule.to };
  if (action === 'finalize' && current === 'DELETED') return { kind: 'already-done' };
  return { kind: 'illegal' };
}
