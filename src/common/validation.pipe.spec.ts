import type { ArgumentMetadata } from '@nestjs/common';
import fc from 'fast-check';
import { ListPackagesQuery } from '../catalog/dto/package.input';
import { WebhookVerificationQuery } from '../integrations/whatsapp/dto/webhook.dto';
import { CommonError } from './errors/common.errors';
import { QueryValidationMemo, type DtoClass } from './query-validation-memo';
import { createValidationPipe } from './validation.pipe';

const query = (metatype: DtoClass): ArgumentMetadata => ({ type: 'query', metatype: metatype as ArgumentMetadata['metatype'] });

/** What a pipe made of a value: the DTO's class and fields, or the refusal's details. */
async function outcome(pipe: ReturnType<typeof createValidationPipe>, value: Record<string, unknown>, metatype: DtoClass = ListPackagesQuery) {
  try {
    const dto = (await pipe.transform(structuredClone(value), query(metatype))) as object;
    return { accepted: Object.getPrototypeOf(dto) as object, fields: { ...dto } };
  } catch (error) {
    if (!(error instanceof CommonError)) throw error;
    return { refused: error.code, details: error.details };
  }
}

// Query strings as Fastify hands them over: strings, or arrays of strings for repeated keys.
const field = fc.oneof(
  fc.constantFrom('20', '0', '1', '100', '101', '-1', '1e3', '', ' 7', 'abc', 'true', 'false', '018f3c9e-7b1a-7c2d-9e4f-0123456789ab', 'not-a-uuid'),
  fc.string({ maxLength: 8 }),
);
const queryValue = fc.dictionary(fc.constantFrom('limit', 'offset', 'segmentId', 'active', 'extra', 'constructor'), fc.oneof(field, fc.array(field, { maxLength: 2 })), {
  maxKeys: 4,
});

describe('the validation pipe remembers query DTOs it validated', () => {
  it('answers exactly as a pipe that never saw the query, on first and repeated use', async () => {
    const memoized = createValidationPipe();
    await fc.assert(
      fc.asyncProperty(queryValue, async (value) => {
        const fresh = await outcome(createValidationPipe(), value);
        expect(await outcome(memoized, value)).toEqual(fresh);
        expect(await outcome(memoized, value)).toEqual(fresh);
      }),
      { numRuns: 300 },
    );
  });

  it('hands out copies: a handler changing its DTO does not change the next request', async () => {
    const pipe = createValidationPipe();
    const first = (await pipe.transform({ limit: '5' }, query(ListPackagesQuery))) as ListPackagesQuery;
    expect(first).toBeInstanceOf(ListPackagesQuery);
    first.limit = 99;
    const second = (await pipe.transform({ limit: '5' }, query(ListPackagesQuery))) as ListPackagesQuery;
    expect(second).toBeInstanceOf(ListPackagesQuery);
    expect(second).not.toBe(first);
    expect(second.limit).toBe(5);
    // The second came from the memo: changing it changes no later answer either.
    second.offset = 7;
    const third = (await pipe.transform({ limit: '5' }, query(ListPackagesQuery))) as ListPackagesQuery;
    expect(third).not.toBe(second);
    expect(third).toMatchObject({ limit: 5, offset: 0 });
  });

  it('remembers a class only if it is marked itself, not through a marked parent', () => {
    class Unreviewed extends ListPackagesQuery {}
    expect(new QueryValidationMemo().keyOf(Unreviewed, { limit: '20' })).toBeUndefined();
  });

  it('a refused query is refused again (refusals are not remembered)', async () => {
    const pipe = createValidationPipe();
    for (let i = 0; i < 2; i++) await expect(pipe.transform({ limit: '0' }, query(ListPackagesQuery))).rejects.toBeInstanceOf(CommonError);
  });

  it('remembers only classes marked for it: never the webhook query, which carries a verify token', () => {
    const memo = new QueryValidationMemo();
    expect(memo.keyOf(ListPackagesQuery, { limit: '20' })).toBe('{"limit":"20"}');
    expect(memo.keyOf(WebhookVerificationQuery, { 'hub.verify_token': 'secret' })).toBeUndefined();
    expect(memo.keyOf(ListPackagesQuery, { limit: { nested: '1' } })).toBeUndefined();
  });

  it('forgets the oldest query string past its bound', () => {
    const memo = new QueryValidationMemo();
    for (let i = 0; i < 300; i++) memo.set(ListPackagesQuery, `k${i}`, Object.assign(new ListPackagesQuery(), { offset: i }));
    expect(memo.get(ListPackagesQuery, 'k0')).toBeUndefined();
    expect(memo.get(ListPackagesQuery, 'k299')).toMatchObject({ offset: 299 });
  });
});
