import { Body, Controller, Get, Post } from '@nestjs/common';
import { IsEmail, IsInt, IsString, Length, Min } from 'class-validator';
import { PrismaService } from '../../src/database/prisma.service';
import { LogCapture, useTestApp } from '../support/test-app';
import { Public } from '../../src/auth/access.decorators';

class EchoInput {
  @IsString()
  @Length(3, 63)
  slug!: string;

  @IsEmail()
  email!: string;

  @IsInt()
  @Min(1)
  count!: number;
}

/** Routes that fail on purpose, mounted only in this suite. */
@Public()
@Controller('test-errors')
class FailingController {
  constructor(private readonly prisma: PrismaService) {}

  @Post('echo')
  echo(@Body() input: EchoInput): EchoInput {
    return input;
  }

  @Post('tenants')
  createTenant(@Body() input: EchoInput) {
    return this.prisma.tenant.create({ data: { slug: input.slug, name: input.slug, email: input.email } });
  }

  @Get('boom')
  boom(): never {
    throw new Error('connect to db-internal.example:5432 failed for password hunter2');
  }

  /** A database error whose Prisma call carries a tenant's data (the message would repeat it). */
  @Get('tenant-data')
  tenantData() {
    return this.prisma.tenant.create({ data: { slug: 'leaky-slug', name: 'Private Studio\u0000', email: 'private-owner@example.com' } });
  }

  @Get('bad-sql')
  badSql() {
    return this.prisma.$queryRawUnsafe('SELECT * FROM "no_such_table_xyz"');
  }
}

const BODY_LIMIT = 2048;

describe('HTTP error envelope', () => {
  const logs = new LogCapture();
  const suite = useTestApp({
    controllers: [FailingController],
    env: { BODY_LIMIT_BYTES: String(BODY_LIMIT) },
    logs,
  });

  const valid = () => ({ slug: `t-${Math.random().toString(36).slice(2, 10)}`, email: 'owner@example.com', count: 2 });

  function expectEnvelope(response: { headers: Record<string, unknown>; json(): unknown }, status: string) {
    const body = response.json() as Record<string, unknown>;
    expect(body).toEqual(expect.objectContaining({ code: status, error: expect.any(String), requestId: expect.any(String) }));
    expect(body.requestId).toBe(response.headers['x-request-id']);
    return body;
  }

  it('answers a valid body with the handler result', async () => {
    const input = valid();
    const response = await suite.app.inject({ method: 'POST', url: '/api/v1/test-errors/echo', payload: input });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual(input);
  });

  it('400 VALIDATION_FAILED lists every invalid field', async () => {
    const response = await suite.app.inject({
      method: 'POST',
      url: '/api/v1/test-errors/echo',
      payload: { slug: 'x', email: 'not-an-email', count: 0 },
    });
    expect(response.statusCode).toBe(400);
    const body = expectEnvelope(response, 'VALIDATION_FAILED');
    const fields = (body.details as Array<{ field: string; message: string }>).map((d) => d.field).sort();
    expect(fields).toEqual(['count', 'email', 'slug']);
  });

  it('400 VALIDATION_FAILED names properties the endpoint does not accept', async () => {
    const response = await suite.app.inject({
      method: 'POST',
      url: '/api/v1/test-errors/echo',
      payload: { ...valid(), tenantId: 'someone-else' },
    });
    expect(response.statusCode).toBe(400);
    const body = expectEnvelope(response, 'VALIDATION_FAILED');
    expect(body.details).toEqual([expect.objectContaining({ field: 'tenantId' })]);
  });

  it.each([
    ['a malformed JSON body', 'application/json', '{"slug": "abc",', 400, 'INVALID_JSON'],
    ['an empty JSON body', 'application/json', '', 400, 'INVALID_JSON'],
    ['a body that is not JSON', 'text/csv', 'slug,email\nabc,a@b.c', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['a form post (no cross-site simple requests)', 'application/x-www-form-urlencoded', 'slug=abcd&email=a%40b.c&count=1', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['a text/plain body', 'text/plain', '{"slug":"abcd","email":"a@b.c","count":1}', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['JSON in another charset', 'application/json; charset=utf-16', '{"slug":"abcd","email":"a@b.c","count":1}', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['JSON nested deeper than 64 levels', 'application/json', `${'{"a":'.repeat(100)}1${'}'.repeat(100)}`, 400, 'INVALID_JSON'],
  ])('answers %s (%s) with its status and code', async (_case, contentType, payload, status, code) => {
    const response = await suite.app.inject({
      method: 'POST',
      url: '/api/v1/test-errors/echo',
      headers: { 'content-type': contentType },
      payload,
    });
    expect(response.statusCode).toBe(status);
    expectEnvelope(response, code);
  });

  it('404 NOT_FOUND for an unknown route, in the envelope', async () => {
    const response = await suite.app.inject({ method: 'GET', url: '/api/v1/no/such/route' });
    expect(response.statusCode).toBe(404);
    expect(expectEnvelope(response, 'NOT_FOUND').error).toBe('Route GET /api/v1/no/such/route not found');
  });

  it('413 PAYLOAD_TOO_LARGE above BODY_LIMIT_BYTES', async () => {
    const response = await suite.app.inject({
      method: 'POST',
      url: '/api/v1/test-errors/echo',
      payload: { ...valid(), padding: 'x'.repeat(BODY_LIMIT) },
    });
    expect(response.statusCode).toBe(413);
    expectEnvelope(response, 'PAYLOAD_TOO_LARGE');
  });

  it('accepts JSON declared as UTF-8', async () => {
    const response = await suite.app.inject({
      method: 'POST',
      url: '/api/v1/test-errors/echo',
      headers: { 'content-type': 'application/json; charset=UTF-8' },
      payload: JSON.stringify(valid()),
    });
    expect(response.statusCode).toBe(201);
  });

  it('404 for an unknown route never echoes its query string', async () => {
    const response = await suite.app.inject({ method: 'GET', url: '/api/v1/nope?token=SECRET789' });
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('SECRET789');
    expect(logs.text).not.toContain('SECRET789');
  });

  describe('over a real socket', () => {
    let base: string;
    beforeAll(async () => {
      await suite.app.listen({ port: 0, host: '127.0.0.1' });
      base = await suite.app.getUrl();
    });

    /** A raw HTTP/1.1 exchange, for requests fetch() refuses to send. */
    async function raw(request: string): Promise<{ status: number; headers: string; body: string }> {
      const { connect } = await import('node:net');
      const { port } = new URL(base);
      return new Promise((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => socket.write(request));
        let data = '';
        socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
        socket.on('error', reject);
        socket.on('close', () => {
          const [head, body = ''] = data.split('\r\n\r\n');
          resolve({ status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body });
        });
      });
    }

    it('400 in the envelope for a malformed URL', async () => {
      const response = await raw('GET /api/v1/%E0%A4%A HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n');
      expect(response.status).toBe(400);
      const body = JSON.parse(response.body) as Record<string, unknown>;
      expect(body).toEqual({ error: 'Malformed URL', code: 'BAD_REQUEST', requestId: expect.any(String) });
      expect(response.headers).toContain(`x-request-id: ${String(body.requestId).toLowerCase()}`);
    });

    it('431 in the envelope for oversized headers', async () => {
      const response = await raw(`GET /api/v1/health/live HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(70_000)}\r\n\r\n`);
      expect(response.status).toBe(431);
      expect(JSON.parse(response.body)).toEqual({ error: 'Request Header Fields Too Large', code: 'HEADERS_TOO_LARGE', requestId: expect.any(String) });
    });

    it('400 in the envelope for a malformed Content-Length', async () => {
      const response = await raw('POST /api/v1/test-errors/echo HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: abc\r\n\r\n{}');
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body)).toEqual(expect.objectContaining({ code: 'BAD_REQUEST', requestId: expect.any(String) }));
    });
  });

  it('409 UNIQUE_VIOLATION, naming the field, when a unique value is taken', async () => {
    const input = valid();
    const first = await suite.app.inject({ method: 'POST', url: '/api/v1/test-errors/tenants', payload: input });
    expect(first.statusCode).toBe(201);
    const second = await suite.app.inject({ method: 'POST', url: '/api/v1/test-errors/tenants', payload: input });
    expect(second.statusCode).toBe(409);
    const body = expectEnvelope(second, 'UNIQUE_VIOLATION');
    expect(body.details).toEqual([{ field: 'slug', message: 'already taken' }]);
  });

  it('500 INTERNAL never shows the cause, and logs it under the same request id', async () => {
    const response = await suite.app.inject({ method: 'GET', url: '/api/v1/test-errors/boom' });
    expect(response.statusCode).toBe(500);
    const body = expectEnvelope(response, 'INTERNAL');
    expect(body).toEqual({ error: 'Internal error', code: 'INTERNAL', requestId: body.requestId });
    expect(response.body).not.toMatch(/hunter2|db-internal|stack|Error:/);
    const logged = logs.entries.find((entry) => entry.requestId === body.requestId && entry.level === 50);
    expect(JSON.stringify(logged)).toContain('db-internal.example');
  });

  it('500 INTERNAL for a database error, without SQL or table names', async () => {
    const response = await suite.app.inject({ method: 'GET', url: '/api/v1/test-errors/bad-sql' });
    expect(response.statusCode).toBe(500);
    expectEnvelope(response, 'INTERNAL');
    expect(response.body).not.toContain('no_such_table_xyz');
  });

  it('a 5xx log line names the error class and codes, never the Prisma call or its data', async () => {
    const response = await suite.app.inject({ method: 'GET', url: '/api/v1/test-errors/tenant-data' });
    expect(response.statusCode).toBe(500);
    const { requestId } = expectEnvelope(response, 'INTERNAL');
    const logged = logs.entries.filter((entry) => entry.requestId === requestId && entry.level === 50);
    expect(logged.length).toBeGreaterThan(0);
    const text = JSON.stringify(logged);
    expect(text).not.toMatch(/Private Studio|private-owner|leaky-slug|prisma\.tenant\.create/);
    const unhandled = logged.find((entry) => entry.msg === 'unhandled error')!;
    expect(unhandled.err).toMatchObject({ type: expect.stringMatching(/^PrismaClient/), stack: expect.stringContaining('    at ') });
    expect(JSON.stringify(unhandled.err)).toMatch(/"(code|prismaCode|sqlState)":"[A-Z0-9]+"/);
  });

  it('keeps a sane caller x-request-id and replaces an unsafe one', async () => {
    const kept = await suite.app.inject({ method: 'GET', url: '/api/v1/health/live', headers: { 'x-request-id': 'abc-123' } });
    expect(kept.headers['x-request-id']).toBe('abc-123');
    const unsafe = 'line\tbreak<script>';
    const replaced = await suite.app.inject({ method: 'GET', url: '/api/v1/health/live', headers: { 'x-request-id': unsafe } });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const generated = await suite.app.inject({ method: 'GET', url: '/api/v1/no-such' });
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
