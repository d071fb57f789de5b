import { Controller, Get, Logger, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { LogCapture, useTestApp } from '../support/test-app';
import { Public } from '../../src/auth/access.decorators';

const SECRETS = {
  bearer: 'eyJhbGciOiJIUzI1NiJ9.secret-bearer-value',
  cookie: 'tenant_sig=secret-cookie-value',
  apiKey: 'sk_live_secret-api-key-value',
  password: 'secret-password-value',
  refreshToken: 'secret-refresh-token-value',
  clientSecret: 'secret-client-secret-value',
  setCookie: 'session=secret-set-cookie-value',
};

/** Logs the kind of objects real code might log carelessly, twice, from inside a request. */
@Public()
@Controller('test-logging')
class ChattyController {
  private readonly logger = new Logger('Chatty');

  @Get()
  chatty(): { ok: true } {
    this.logger.log({ user: { email: 'a@b.c', password: SECRETS.password } }, 'signing in');
    this.logger.warn({ session: { refreshToken: SECRETS.refreshToken }, integration: { config: { secret: SECRETS.clientSecret } } }, 'rotating');
    return { ok: true };
  }

  @Get('boom')
  boom(): never {
    throw new Error('an unexpected failure');
  }

  @Get('cookie')
  cookie(@Res({ passthrough: true }) reply: FastifyReply): { ok: true } {
    void reply.header('set-cookie', SECRETS.setCookie);
    return { ok: true };
  }
}

describe('logs', () => {
  const logs = new LogCapture();
  const suite = useTestApp({ controllers: [ChattyController], logs });

  it('are JSON, and every line of a request carries its requestId', async () => {
    const before = logs.lines.length;
    const response = await suite.app.inject({ method: 'GET', url: '/api/v1/test-logging', headers: { 'x-request-id': 'log-test-1' } });
    expect(response.statusCode).toBe(200);
    // Nothing else runs meanwhile, so every line written during the request is the request's.
    const ours = logs.entries.slice(before);
    // "signing in", "rotating" and pino-http's "request completed".
    expect(ours.map((entry) => entry.msg)).toEqual(expect.arrayContaining(['signing in', 'rotating', 'request completed']));
    for (const entry of ours) expect(entry.requestId).toBe('log-test-1');
  });

  it('redact credentials in headers and secrets in logged objects', async () => {
    await suite.app.inject({
      method: 'GET',
      url: '/api/v1/test-logging',
      headers: {
        'x-request-id': 'log-test-creds',
        authorization: `Bearer ${SECRETS.bearer}`,
        cookie: SECRETS.cookie,
        'x-api-key': SECRETS.apiKey,
      },
    });
    const cookie = await suite.app.inject({ method: 'GET', url: '/api/v1/test-logging/cookie' });
    expect(cookie.headers['set-cookie']).toBe(SECRETS.setCookie);
    await suite.app.inject({ method: 'GET', url: `/api/v1/test-logging?token=${SECRETS.refreshToken}&password=${SECRETS.password}` });
    for (const secret of Object.values(SECRETS)) expect(logs.text).not.toContain(secret);
    expect(logs.text).toContain('[redacted]');
    // Redaction removes values, not the evidence that the request had them.
    const completed = logs.entries.find((e) => e.requestId === 'log-test-creds' && e.msg === 'request completed') as {
      req: { headers: Record<string, string> };
    };
    expect(completed.req.headers.authorization).toBe('[redacted]');
    expect(completed.req.headers.cookie).toBe('[redacted]');
    expect(completed.req.headers['x-api-key']).toBe('[redacted]');
  });

  it('record a request that failed as a warning with its status', async () => {
    await suite.app.inject({ method: 'GET', url: '/api/v1/nowhere', headers: { 'x-request-id': 'log-test-404' } });
    const completed = logs.entries.find((entry) => entry.requestId === 'log-test-404' && entry.msg === 'request completed');
    expect(completed).toEqual(
      expect.objectContaining({
        level: 40,
        req: expect.objectContaining({ method: 'GET', url: '/api/v1/nowhere' }),
        res: expect.objectContaining({ statusCode: 404 }),
      }),
    );
  });

  it('record a server error with the request, and only its closing line carries the request', async () => {
    const before = logs.lines.length;
    const response = await suite.app.inject({ method: 'GET', url: '/api/v1/test-logging/boom', headers: { 'x-request-id': 'log-test-500' } });
    expect(response.statusCode).toBe(500);
    const ours = logs.entries.slice(before).filter((entry) => entry.requestId === 'log-test-500');
    const completed = ours.find((entry) => entry.msg === 'request errored');
    expect(completed).toEqual(
      expect.objectContaining({
        level: 50,
        req: expect.objectContaining({ method: 'GET', url: '/api/v1/test-logging/boom' }),
        res: expect.objectContaining({ statusCode: 500 }),
      }),
    );
    // The request is logged once per request, not repeated on every line logged while serving it.
    expect(ours.filter((entry) => 'req' in entry)).toHaveLength(1);
  });
});
