import { TenantStatus } from '../generated/prisma/enums';
import { planTransition, type LifecycleAction } from './tenant-status-machine';

const STATUSES = Object.values(TenantStatus);
const ACTIONS: LifecycleAction[] = ['activate', 'suspend', 'resume', 'deprovision', 'finalize'];

/** The design's diagram, written out independently of TRANSITIONS: [from, action, to]. */
const LEGAL: Array<[TenantStatus, LifecycleAction, TenantStatus]> = [
  ['PROVISIONING', 'activate', 'ACTIVE'],
  ['ACTIVE', 'suspend', 'SUSPENDED'],
  ['SUSPENDED', 'resume', 'ACTIVE'],
  ['ACTIVE', 'deprovision', 'DEPROVISIONING'],
  ['SUSPENDED', 'deprovision', 'DEPROVISIONING'],
  ['DEPROVISIONING', 'finalize', 'DELETED'],
];

describe('tenant lifecycle', () => {
  it.each(LEGAL)('%s --%s--> %s', (from, action, to) => {
    expect(planTransition(from, action)).toEqual({ kind: 'move', to });
  });

  const illegal = STATUSES.flatMap((from) => ACTIONS.map((action) => [from, action] as const)).filter(
    ([from, action]) => !LEGAL.some(([f, a]) => f === from && a === action) && !(from === 'DELETED' && action === 'finalize'),
  );

  it.each(illegal)('%s --%s--> refused', (from, action) => {
    expect(planTransition(from, action)).toEqual({ kind: 'illegal' });
  });

  it('finalize of a deleted tenant is already done (idempotent), not illegal', () => {
    expect(planTransition('DELETED', 'finalize')).toEqual({ kind: 'already-done' });
  });

  it('covers every status and action pair', () => {
    expect(LEGAL.length + illegal.length + 1).toBe(STATUSES.length * ACTIONS.length);
  });
});
