import type { ErrorDetail } from '../common/errors/app-error';

export const PASSWORD_MIN_LENGTH = 12;
/** argon2 hashes any length, but an unbounded input is a cheap way to burn our CPU. */
export const PASSWORD_MAX_LENGTH = 128;

/**
 * Why a new password is too weak, or an empty list. Length first (NIST 800-63B), plus two cheap
 * checks against the commonest bad choices: one repeated character and the email itself.
 */
export function passwordWeaknesses(password: string, email: string): ErrorDetail[] {
  const problems: string[] = [];
  if ([...password].length < PASSWORD_MIN_LENGTH) problems.push(`must be at least ${PASSWORD_MIN_LENGTH} characters`);
  if ([...password].length > PASSWORD_MAX_LENGTH) problems.push(`must be at most ${PASSWORD_MAX_LENGTH} characters`);
  if (new Set(password).size < 4) problems.push('must use at least 4 different characters');
  const local = email.split('@')[0]?.toLowerCase() ?? '';
  if (local.length >= 4 && password.toLowerCase().includes(local)) problems.push('must not contain your email address');
  return problems.map((message) => ({ field: 'password', message }));
}
