import { canonicalScope, coversScope, grantsScope, SCOPE_SYNTAX } from './api-key-scopes';

describe('API key scope grammar', () => {
  it.each(['*', 'agent', 'catalog', 'api-keys', 'catalog:read', 'api-keys:write', 'agent:*'])('accepts %s', (scope) => {
    expect(SCOPE_SYNTAX.test(scope)).toBe(true);
  });

  it.each(['', '**', '*:read', 'Catalog', 'catalog:', ':read', 'catalog:read:extra', 'catalog:Read', 'catalog read', '1catalog', 'catalog:*:*'])('refuses %j', (scope) => {
    expect(SCOPE_SYNTAX.test(scope)).toBe(false);
  });

  it('stores resource:* as the bare resource', () => {
    expect(['agent:*', 'agent', 'catalog:read', '*'].map(canonicalScope)).toEqual(['agent', 'agent', 'catalog:read', '*']);
  });

  it('grants a route scope through *, the bare resource (or resource:*), or the action itself', () => {
    expect(grantsScope(['*'], 'catalog:write')).toBe(true);
    expect(grantsScope(['catalog'], 'catalog:write')).toBe(true);
    expect(grantsScope(['catalog:*'], 'catalog:write')).toBe(true);
    expect(grantsScope(['catalog:write'], 'catalog:write')).toBe(true);
    expect(grantsScope(['catalog:read'], 'catalog:write')).toBe(false);
    expect(grantsScope(['agent'], 'catalog:read')).toBe(false);
    expect(grantsScope(['api-keys:write'], 'api-keys:read')).toBe(false);
    expect(grantsScope([], 'catalog:read')).toBe(false);
    // A resource named like the start of another is not it.
    expect(grantsScope(['api'], 'api-keys:read')).toBe(false);
  });

  it('lets a key hand out only what it holds; * only from *', () => {
    expect(coversScope(['*'], 'catalog')).toBe(true);
    expect(coversScope(['*'], '*')).toBe(true);
    expect(coversScope(['api-keys:write'], '*')).toBe(false);
    expect(coversScope(['api-keys:write'], 'api-keys:write')).toBe(true);
    expect(coversScope(['api-keys:write'], 'api-keys:read')).toBe(false);
    expect(coversScope(['api-keys:write'], 'api-keys')).toBe(false);
    expect(coversScope(['catalog'], 'catalog:read')).toBe(true);
    expect(coversScope(['catalog'], 'catalog:*')).toBe(true);
    expect(coversScope(['catalog:read', 'catalog:write'], 'catalog')).toBe(false);
    expect(coversScope(['agent:*'], 'agent')).toBe(true);
  });
});
