import { CREDENTIAL_TYPE_PATTERN } from '../integrations.constants';
import { IntegrationsError, IntegrationsErrorCode } from '../integrations.errors';

export interface CredentialType {
  /** Shown in the list of known types. */
  description: string;
  /** Why the value is refused, or null. Never includes the value itself. */
  problem(value: string): string | null;
}

const printable = (min: number, max: number) => (value: string) =>
  value.length < min || value.length > max
    ? `must be ${min}-${max} characters`
    : /^[\x21-\x7e]+$/.test(value)
      ? null
      : 'must be printable ASCII without spaces';

/**
 * Every credential a tenant can store, with its rule: the one registry the vault routes, WhatsApp
 * and Genesys read. An unknown type is 400 listing these names.
 */
export const CREDENTIAL_TYPES = {
  whatsapp_access_token: {
    description: 'Meta system-user or business token the platform sends WhatsApp messages with',
    problem: (value: string) => printable(20, 2048)(value) ?? (/^[A-Za-z0-9._|-]+$/.test(value) ? null : 'must be a Meta access token (letters, digits, . _ | -)'),
  },
  whatsapp_verify_token: {
    description: "The tenant's own webhook verify token (Meta's dashboard); generated when not given",
    problem: printable(16, 256),
  },
  genesys_client_secret: {
    description: 'OAuth client secret of the Genesys Cloud integration',
    problem: printable(16, 512),
  },
} satisfies Record<string, CredentialType>;

export type CredentialTypeName = keyof typeof CREDENTIAL_TYPES;
export const CREDENTIAL_TYPE_NAMES = Object.keys(CREDENTIAL_TYPES).sort() as CredentialTypeName[];

export function isCredentialType(name: string): name is CredentialTypeName {
  return Object.hasOwn(CREDENTIAL_TYPES, name);
}

/**
 * The registered type `name`, for a path parameter. A name that could be a type but is not one is
 * 400 listing the known types; a string that cannot be a type name at all (an id, say) names no
 * resource: 404, like any other tenant's or missing resource.
 */
export function credentialType(name: string): CredentialTypeName {
  if (isCredentialType(name)) return name;
  if (!CREDENTIAL_TYPE_PATTERN.test(name)) throw new IntegrationsError(IntegrationsErrorCode.CREDENTIAL_NOT_FOUND, 'Credential not found');
  throw new IntegrationsError(
    IntegrationsErrorCode.UNKNOWN_CREDENTIAL_TYPE,
    `Unknown credential type; known types: ${CREDENTIAL_TYPE_NAMES.join(', ')}`,
    CREDENTIAL_TYPE_NAMES.map((known) => ({ field: 'type', message: `${known}: ${CREDENTIAL_TYPES[known].description}` })),
  );
}

export function checkCredentialValue(type: CredentialTypeName, value: string, field = 'value'): void {
  const problem = CREDENTIAL_TYPES[type].problem(value);
  if (problem) throw new IntegrationsError(IntegrationsErrorCode.INVALID_CREDENTIAL, `Invalid ${type}: ${problem}`, [{ field, message: problem }]);
}
