import type { OpenAPIObject } from '@nestjs/swagger';
import { idempotencyApplies } from './idempotency.interceptor';

/**
 * Declares `Idempotency-Key` on exactly the operations the interceptor applies it to, using the same
 * rule (x-access and x-idempotency); withErrorResponses() then adds its 400/409/422 codes.
 */
export function withIdempotencyKeys(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const method of ['post', 'patch'] as const) {
      const operation = item[method] as (typeof item)['post'] & { 'x-access'?: string; 'x-idempotency'?: 'email' | 'none' };
      if (!operation) continue;
      const access = operation['x-access'] === 'tenant' ? ({ kind: 'tenant' } as const) : undefined;
      if (!idempotencyApplies(access as never, method, operation['x-idempotency'])) continue;
      operation.parameters = [
        ...(operation.parameters ?? []),
        {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            'Makes retries safe: the first answer (status and body) is stored for 24 h and replayed with `Idempotent-Replayed: true` to a repeat with the same key' +
            (operation['x-idempotency'] === 'email' ? ' and email' : '') +
            '. 1-255 printable ASCII characters.',
          schema: { type: 'string', minLength: 1, maxLength: 255, example: 'b1f7c2d4-6a1e-4f53-9a0b-6f1c2d3e4f5a' },
        },
      ];
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!/^2\d\d$/.test(status) || !response || '$ref' in response) continue;
        response.headers = { ...response.headers, 'Idempotent-Replayed': { description: '`true` when this is the stored answer to an earlier request with the same key.', schema: { type: 'string', enum: ['true'] } } };
      }
    }
  }
  return document;
}
