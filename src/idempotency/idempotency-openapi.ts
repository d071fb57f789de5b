import type { OpenAPIObject } from '@nestjs/swagger';
import { idempotencyApplies } from './idempotency.interceptor';

const ERROR = { content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorOutput' } } } };

/**
 * Declares `Idempotency-Key` (and its 409/422 answers and the replay header) on exactly the
 * operations the interceptor applies it to, using the same rule (x-access and x-idempotency).
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
      operation.responses['409'] ??= { description: '`IDEMPOTENCY_KEY_IN_USE`: the first request with this key is still running', ...ERROR };
      operation.responses['422'] ??= { description: '`IDEMPOTENCY_KEY_REUSED`: the key was used with a different request', ...ERROR };
    }
  }
  return document;
}
