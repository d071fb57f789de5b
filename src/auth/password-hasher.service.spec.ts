import { PasswordHasher } from './password-hasher.service';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher();
  const password = 'correct horse battery staple';

  it('hashes with argon2id at OWASP parameters (19 MiB, t=2, p=1) and verifies', async () => {
    const hash = await hasher.hash(password);
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    await expect(hasher.verify(hash, password)).resolves.toBe(true);
    await expect(hasher.verify(hash, `${password}!`)).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hasher.hash(password)).not.toBe(await hasher.hash(password));
  });

  it('verifies hashes stored with the previous parameters (the argon2 package defaults: 64 MiB, t=3, p=4)', async () => {
    const stored = '$argon2id$v=19$m=65536,t=3,p=4$f15FFvrUMBaWQMOpqsfxHg$oKFhFki87pckcFnSUvKJG5XW0jGOZ8dHmQaKzOlMxJM';
    await expect(hasher.verify(stored, password)).resolves.toBe(true);
    await expect(hasher.verify(stored, 'wrong')).resolves.toBe(false);
  });

  it('treats an unknown user and a malformed stored hash as a failed login', async () => {
    await expect(hasher.verify(undefined, password)).resolves.toBe(false);
    await expect(hasher.verify('not-a-hash', password)).resolves.toBe(false);
  });
});
