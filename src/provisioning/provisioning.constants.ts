/** API-key scopes of the tenant's own account routes. */
export const ACCOUNT_READ_SCOPE = 'account:read';
export const ACCOUNT_WRITE_SCOPE = 'account:write';

/** Service accounts holding this may call the tenant lookup (routing webhooks to tenants). */
export const TENANTS_LOOKUP_SCOPE = 'tenants:lookup';

/**
 * Tenant slugs that would collide with our own host names and paths (`api.`, `/docs`), name a
 * well-known mail or DNS service, or mislead users into taking a tenant for the platform. Refused
 * when chosen (400); a business name that slugifies to one gets a random suffix instead.
 */
export const RESERVED_TENANT_SLUGS: ReadonlySet<string> = new Set([
  'about', 'account', 'accounts', 'admin', 'administrator', 'agent', 'api', 'app', 'apps', 'assets',
  'auth', 'autoconfig', 'autodiscover', 'billing', 'blog', 'book', 'booking', 'bookings', 'cdn',
  'checkout', 'console', 'contact', 'dashboard', 'demo', 'dev', 'developer', 'developers', 'docs',
  'download', 'example', 'files', 'ftp', 'graphql', 'health', 'help', 'imap', 'images', 'internal',
  'legal', 'localhost', 'login', 'logout', 'mail', 'mcp', 'media', 'metrics', 'mx', 'new', 'ns1', 'ns2',
  'null', 'oauth', 'openapi', 'operator', 'operators', 'payments', 'platform', 'pop', 'pop3', 'portal',
  'privacy', 'public', 'root', 'security', 'signin', 'signup', 'smtp', 'sso', 'staging', 'static',
  'status', 'storefront', 'support', 'swagger', 'system', 'terms', 'test', 'undefined', 'webhook',
  'webhooks', 'webmail', 'wpad', 'www',
]);
