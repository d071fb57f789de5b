// `npm run lint:openapi` (with Redocly's rules): Spectral's OpenAPI rules and the OWASP API Security
// Top 10 ruleset, 0 errors required. Each rule turned off, or off somewhere, says why.
import { readFileSync } from 'node:fs';
import { oas } from '@stoplight/spectral-rulesets';
import owasp from '@stoplight/spectral-owasp-ruleset';

const DOCUMENT = 'docs/openapi.json';
const document = JSON.parse(readFileSync(DOCUMENT, 'utf8'));
const pointer = (...parts) => `${DOCUMENT}#/${parts.map((part) => String(part).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

// The size limits of OWASP API4 (maxLength, maxItems, integer bounds) guard the server against what
// clients send; every request body and parameter must have them (src/openapi/input-bounds.ts and
// the validators give them). What the server answers is exempt: a maxLength there would be a guess.
// Exempt: every response, the response headers, and the schemas only responses use.
const SIZE_RULES = ['owasp:api4:2023-string-limit', 'owasp:api4:2023-array-limit', 'owasp:api4:2023-integer-limit-legacy'];
const refsIn = (value, found = new Set()) => {
  if (Array.isArray(value)) value.forEach((item) => refsIn(item, found));
  else if (value && typeof value === 'object') {
    if (typeof value.$ref === 'string') {
      const name = value.$ref.split('/').pop();
      if (!found.has(name)) {
        found.add(name);
        refsIn(document.components.schemas[name], found);
      }
    }
    Object.values(value).forEach((item) => refsIn(item, found));
  }
  return found;
};
const operations = Object.entries(document.paths).flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ path, method, operation })));
const inputSchemas = refsIn(operations.map(({ operation }) => [operation.parameters ?? [], operation.requestBody ?? {}]));
const outputSchemas = [...refsIn(operations.map(({ operation }) => operation.responses))].filter((name) => !inputSchemas.has(name));
const outputs = [
  pointer('components', 'headers'),
  ...outputSchemas.map((name) => pointer('components', 'schemas', name)),
  ...operations.map(({ path, method }) => pointer('paths', path, method, 'responses')),
];

export default {
  extends: [oas, owasp],
  rules: {
    // CORS headers are sent by @fastify/cors to the origins in CORS_ORIGINS only (none by default);
    // declaring Access-Control-Allow-Origin on every answer would promise a header most never carry.
    'owasp:api8:2023-define-cors-origin': 'off',
    // RateLimit-* are documented where they are sent on purpose: the 2xx answers and the 429 of the
    // operations that are limited (x-rate-limit). Error answers and unlimited operations have no
    // budget to report.
    'owasp:api4:2023-rate-limit': 'off',
  },
  overrides: [
    { files: outputs, rules: Object.fromEntries(SIZE_RULES.map((rule) => [rule, 'off'])) },
    {
      // Public by design: these writes obtain credentials (signup, login, refresh with the refresh
      // token in the body), or are Meta's webhook, authenticated by its X-Hub-Signature-256 HMAC.
      files: ['/api/v1/auth/signup', '/api/v1/auth/login', '/api/v1/auth/refresh', '/api/v1/webhooks/whatsapp'].map((path) => pointer('paths', path, 'post', 'security')),
      rules: { 'owasp:api2:2023-write-restricted': 'off' },
    },
    {
      // Meta's webhook verification sends hub.verify_token in the query string; its protocol, not ours.
      files: [pointer('paths', '/api/v1/webhooks/whatsapp', 'get', 'parameters')],
      rules: { 'owasp:api2:2023-no-credentials-in-url': 'off' },
    },
  ],
};
