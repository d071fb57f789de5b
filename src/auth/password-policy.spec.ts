import { passwordWeaknesses } from './password-policy';

describe('passwordWeaknesses', () => {
  it('accepts a long, varied password', () => {
    expect(passwordWeaknesses('correct horse battery', 'ann@example.com')).toEqual([]);
  });

  it.each([
    ['short1!', 'at least 12'],
    ['aaaaaaaaaaaaaaaa', 'at least 4 different'],
    ['x'.repeat(129) + 'abcd', 'at most 128'],
    ['annabelle-2026-secure', 'email'],
  ])('refuses %j (%s)', (password, reason) => {
    const details = passwordWeaknesses(password, 'annabelle@example.com');
    expect(details.map((detail) => detail.field)).toContain('password');
    expect(details.map((detail) => detail.message).join('; ')).toContain(reason);
  });
});
