import type { OpenAPIObject } from '@nestjs/swagger';
import { ACCESS_TOKEN_COOKIE } from '../auth/auth.constants';
import { TENANT_SIGNATURE_COOKIE } from '../tenancy/tenancy.constants';
import { HTTP_METHODS } from './error-responses';

/** Security scheme names (DocumentBuilder's defaults for addBearerAuth / addCookieAuth, and ours). */
export const SECURITY = { bearer: 'bearer', cookie: 'cookie', tenantSignature: 'tenantSignature' } as const;

const OVERRIDE_PARAMETER = {
  name: 'X-Operator-Override',
  in: 'header' as const,
  required: false,
  description:
    'Operators only (`platform:operator` or `support:*`): read this tenant instead of your own. GET only (a write with it is 403 `OPERATOR_OVERRIDE_READ_ONLY`); audited; an unknown tenant is 404 `OVERRIDE_TENANT_NOT_FOUND`.',
  schema: { type: 'string', format: 'uuid', example: '0192f5c4-7d1e-7a3b-9c2d-4e5f6a7b8c9d' },
};

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']> & Record<string, unknown>;

/** A sentence for the operation's description: who may call it, with what. */
function accessSentence(operation: Operation, overrideAllowed: boolean): string {
  const scopes = (operation['x-required-scopes'] as string[] | undefined) ?? [];
  const listed = scopes.map((scope) => `\`${scope}\``).join(' or ');
  switch (operation['x-access']) {
    case 'public':
      return 'Access: public, no credential.';
    case 'authenticated':
      return 'Access: any signed-in principal (access token, or the session cookies).';
    case 'tenant': {
      const role = String(operation['x-required-role']);
      const who = operation['x-people-only']
        ? `signed-in members with role ${role} or higher only (API keys holding ${listed} get 403 \`HUMAN_CONFIRMATION_REQUIRED\`)`
        : `a member with role ${role} or higher, or an API key with scope ${listed} (or \`*\`)`;
      return `Access: ${who}. ${overrideAllowed ? `Operators may read another tenant with \`X-Operator-Override\`.` : `\`X-Operator-Override\` is refused (403).`}`;
    }
    case 'operator':
      return `Access: operators holding ${listed}.`;
    default:
      return 'Access: refused (no access declared).';
  }
}

/**
 * Who may call each operation, in words and in extensions (`x-access`, `x-required-scopes`,
 * `x-required-role`, `x-operator-override`); the `X-Operator-Override` header where it is honoured
 * (GET of tenant routes, auth/access.guard.ts); and browser sessions modelled as the `access_token`
 * cookie AND the `tenant_sig` cookie (both are required together).
 */
export function withAccessDocs(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.securitySchemes = {
    ...document.components.securitySchemes,
    [SECURITY.cookie]: { type: 'apiKey', in: 'cookie', name: ACCESS_TOKEN_COOKIE, description: 'Browser sessions: the access token cookie set by login, signup, refresh and switch-tenant (HttpOnly, Secure, SameSite=Strict).' },
    [SECURITY.tenantSignature]: {
      type: 'apiKey',
      in: 'cookie',
      name: TENANT_SIGNATURE_COOKIE,
      description: "HMAC signature of the session's tenant, user and session version, set with the access token cookie; a cookie session without a valid one is 403 `TENANT_SIGNATURE_INVALID`.",
    },
  };
  for (const item of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method] as Operation | undefined;
      if (!operation) continue;
      const overrideAllowed = operation['x-access'] === 'tenant' && method === 'get';
      if (operation['x-access'] === 'tenant') operation['x-operator-override'] = overrideAllowed;
      if (overrideAllowed) operation.parameters = [...(operation.parameters ?? []), OVERRIDE_PARAMETER];
      operation.security = operation.security?.map((requirement) => (SECURITY.cookie in requirement ? { ...requirement, [SECURITY.tenantSignature]: [] } : requirement));
      const sentence = accessSentence(operation, overrideAllowed);
      operation.description = operation.description ? `${operation.description}\n\n${sentence}` : sentence;
    }
  }
  return document;
}
