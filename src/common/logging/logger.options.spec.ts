import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import pinoHttp, { type Options } from 'pino-http';
import { loggerOptions } from './logger.options';

/** The service's pino-http, configured as the app configures it, writing into `lines`. */
function serviceLogger() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const [options] = loggerOptions({ LOG_LEVEL: 'info' }).pinoHttp as [Options];
  const middleware = pinoHttp(options, sink);
  return { middleware, logger: middleware.logger, lines };
}

/** Waits until pino's asynchronous writes have reached the sink. */
const flushed = () => new Promise((resolve) => setImmediate(resolve));

describe('log redaction', () => {
  it('redacts secret keys at the top of a line and one and two levels down, without touching the logged object', async () => {
    const { logger, lines } = serviceLogger();
    const logged = { password: 'top-secret', user: { email: 'a@b.c', apiKey: 'level-one' }, integration: { config: { secret: 'level-two', region: 'eu' } } };
    logger.info(logged, 'saving');
    await flushed();
    expect(lines[0]).toMatchObject({
      msg: 'saving',
      password: '[redacted]',
      user: { email: 'a@b.c', apiKey: '[redacted]' },
      integration: { config: { secret: '[redacted]', region: 'eu' } },
    });
    expect(logged.user.apiKey).toBe('level-one');
    expect(logged.integration.config.secret).toBe('level-two');
  });

  it('redacts objects interpolated into the message, and an object logged as the message', async () => {
    const { logger, lines } = serviceLogger();
    logger.info('saving %j', { user: { password: 'in-json' } });
    logger.info({ op: 'save' }, 'saving %o', { integration: { config: { secret: 'in-o' } } });
    (logger.info as (object: object, message: object) => void)({ op: 'save' }, { apiKey: 'message-top', nested: { token: 'message-nested' } });
    await flushed();
    expect(lines[0].msg).toBe('saving {"user":{"password":"[redacted]"}}');
    expect(lines[1].msg).toContain('"secret":"[redacted]"');
    expect(lines[2].msg).toEqual({ apiKey: '[redacted]', nested: { token: '[redacted]' } });
    expect(JSON.stringify(lines)).not.toMatch(/in-json|in-o|message-top|message-nested/);
  });

  it('writes a URL or an Error in the message as pino formats it, not a broken copy', async () => {
    const { logger, lines } = serviceLogger();
    logger.info('calling %s', new URL('https://graph.example/v1'));
    (logger.info as (object: object, message: object) => void)({ op: 'call' }, new URL('https://graph.example/v2'));
    logger.info('failed: %s', new Error('boom'));
    await flushed();
    expect(lines.map((line) => line.msg)).toEqual(['calling https://graph.example/v1', 'https://graph.example/v2', 'failed: Error: boom']);
  });

  it('redacts secrets one level down in a logged request', async () => {
    const { logger, lines } = serviceLogger();
    logger.info({ req: { method: 'GET', url: '/x', headers: {}, params: { token: 'param-token', id: '7' } } }, 'call');
    await flushed();
    expect(lines[0]).toMatchObject({ req: { params: { token: '[redacted]', id: '7' } } });
  });

  it("keeps a logged error's message and stack, and redacts the secrets it carries", async () => {
    const { logger, lines } = serviceLogger();
    const error = Object.assign(new Error('upstream refused'), { token: 'error-token', request: { authorization: 'Bearer error-bearer' } });
    logger.error({ err: error }, 'call failed');
    await flushed();
    const err = lines[0].err as Record<string, unknown>;
    expect(err).toMatchObject({ message: 'upstream refused', token: '[redacted]', request: { authorization: '[redacted]' } });
    expect(err.stack).toContain('upstream refused');
    expect(JSON.stringify(lines[0])).not.toMatch(/error-token|error-bearer/);
  });

  it("redacts the request's credential headers and drops its query on the closing line", async () => {
    const { middleware, lines } = serviceLogger();
    const req = Object.assign(new EventEmitter(), {
      id: 'r-1',
      method: 'GET',
      url: '/api/v1/things?token=query-token',
      headers: { authorization: 'Bearer header-bearer', cookie: 'sid=header-cookie', 'x-api-key': 'header-key', apikey: 'header-apikey', accept: '*/*' },
      socket: { remoteAddress: '127.0.0.1', remotePort: 4000 },
    });
    const res = Object.assign(new EventEmitter(), { statusCode: 200, headersSent: true, writableEnded: true, getHeaders: () => ({ 'set-cookie': 'sid=set-cookie-value', token: 'response-token' }) });
    middleware(req as never, res as never, () => undefined);
    res.emit('finish');
    await flushed();
    const completed = lines.find((line) => line.msg === 'request completed') as { req: { url: string; headers: Record<string, string> }; res: { headers: Record<string, string> } };
    expect(completed.req.url).toBe('/api/v1/things');
    expect(completed.req.headers).toEqual({ authorization: '[redacted]', cookie: '[redacted]', 'x-api-key': '[redacted]', apikey: '[redacted]', accept: '*/*' });
    expect(completed.res.headers).toEqual({ 'set-cookie': '[redacted]', token: '[redacted]' });
    expect(JSON.stringify(completed)).not.toMatch(/query-token|header-|set-cookie-value|response-token/);
    // The raw request's headers are the server's own object: redaction works on a copy.
    expect(req.headers.authorization).toBe('Bearer header-bearer');
  });
});
