import { API_PREFIX } from '../common/constants';

/** API-key scopes of the tenant's integration routes. */
export const INTEGRATIONS_READ_SCOPE = 'integrations:read';
export const INTEGRATIONS_WRITE_SCOPE = 'integrations:write';

/** `integration_configs.provider` values. */
export enum IntegrationProvider {
  WHATSAPP = 'whatsapp',
  GENESYS = 'genesys',
}

/** How a stored secret is shown: never more than its last four characters, and those only when long enough. */
export const MASK_PREFIX = '****';
export const MIN_LENGTH_TO_SHOW_LAST4 = 12;

/** A credential type name: what `{type}` in a path must look like before the registry is asked. */
export const CREDENTIAL_TYPE_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

/** Route of Meta's webhook (verification GET and delivery POST), relative to the API prefix. */
export const WHATSAPP_WEBHOOK_ROUTE = 'webhooks/whatsapp';
export const WHATSAPP_SIGNATURE_HEADER = 'x-hub-signature-256';
/** Routes whose raw request bytes bootstrap keeps (signature checks), as full paths. */
export const RAW_BODY_ROUTES = [`/${API_PREFIX}/${WHATSAPP_WEBHOOK_ROUTE}`];

/** Lifetime of an embedded-signup `state` (Meta's popup flow takes a minute or two). */
export const SIGNUP_STATE_TTL_SECONDS = 600;
export const SIGNUP_STATE_VERSION = 'v1';
/** Audience of a signup state (an HS256 JWT under its own key, so it is never mistaken for an access token). */
export const SIGNUP_STATE_AUDIENCE = 'whatsapp-embedded-signup';
/** HKDF label deriving the state's key from the access-token key: no new secret to configure. */
export const SIGNUP_STATE_KEY_INFO = `whatsapp-signup-state|${SIGNUP_STATE_VERSION}`;
/** Meta's answers to a code exchange are a few hundred bytes; anything far larger is not Meta. */
export const GRAPH_API_MAX_RESPONSE_BYTES = 64 * 1024;
