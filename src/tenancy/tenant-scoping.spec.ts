import { TenancyError } from './tenancy.errors';
import { scopeTenantArgs } from './tenant-scoping';

const A = '018f0000-0000-7000-8000-00000000000a';
const B = '018f0000-0000-7000-8000-00000000000b';

describe('scopeTenantArgs', () => {
  it.each(['findMany', 'findFirst', 'findFirstOrThrow', 'findUnique', 'count', 'aggregate', 'groupBy', 'delete', 'deleteMany'])(
    '%s: adds the tenant to the filter',
    (operation) => {
      expect(scopeTenantArgs(operation, { where: { name: 'x' } }, A)).toEqual({ where: { name: 'x', tenantId: A } });
      expect(scopeTenantArgs(operation, undefined, A)).toEqual({ where: { tenantId: A } });
    },
  );

  it('updates are filtered to the tenant and may not move a row to another', () => {
    expect(scopeTenantArgs('updateMany', { where: { id: '1' }, data: { name: 'y' } }, A)).toEqual({ where: { id: '1', tenantId: A }, data: { name: 'y' } });
    expect(() => scopeTenantArgs('update', { where: { id: '1' }, data: { tenantId: B } }, A)).toThrow(TenancyError);
  });

  it('creates get the tenant, one row or many', () => {
    expect(scopeTenantArgs('create', { data: { name: 'k' } }, A)).toEqual({ data: { name: 'k', tenantId: A } });
    expect(scopeTenantArgs('createMany', { data: [{ name: 'k' }, { name: 'l', tenantId: A }] }, A)).toEqual({
      data: [
        { name: 'k', tenantId: A },
        { name: 'l', tenantId: A },
      ],
    });
  });

  it('upsert is scoped on all three parts', () => {
    expect(scopeTenantArgs('upsert', { where: { id: '1' }, create: { name: 'k' }, update: { name: 'm' } }, A)).toEqual({
      where: { id: '1', tenantId: A },
      create: { name: 'k', tenantId: A },
      update: { name: 'm' },
    });
  });

  it.each([
    ['a filter on another tenant', 'findMany', { where: { tenantId: B } }],
    ['a compound key of another tenant', 'findUnique', { where: { tenantId_id: { tenantId: B, id: '1' } } }],
    ['a create for another tenant', 'create', { data: { tenantId: B, name: 'k' } }],
    ['one row of many for another tenant', 'createMany', { data: [{ name: 'k' }, { tenantId: B }] }],
    ['an upsert creating in another tenant', 'upsert', { where: { id: '1' }, create: { tenantId: B }, update: {} }],
    ['the tenant relation in a filter', 'findMany', { where: { tenant: { slug: 'b' } } }],
    ['the tenant relation in a create', 'create', { data: { name: 'k', tenant: { connect: { id: B } } } }],
    ['a non-object filter', 'findMany', { where: 'tenantId = tenantId' }],
    ['an operation it does not know', 'aggregateRaw', {}],
  ])('refuses %s', (_name, operation, args) => {
    expect(() => scopeTenantArgs(operation, args as Record<string, unknown>, A)).toThrow(TenancyError);
  });

  it('accepts an explicit mention of its own tenant', () => {
    expect(scopeTenantArgs('findMany', { where: { tenantId: A } }, A)).toEqual({ where: { tenantId: A } });
  });
});
