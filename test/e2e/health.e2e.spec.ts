import { useTestApp } from '../support/test-app';
import { describeWithPostgres } from '../support/test-database';

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('health', () => {
  const suite = useTestApp();

  it('live answers 200 with a timestamp', async () => {
    const response = await suite.app.inject({ method: 'GET', url: '/api/v1/health/live' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', timestamp: expect.stringMatching(ISO_TIMESTAMP) });
  });

  it('ready answers 200 when the database answers', async () => {
    const response = await suite.app.inject({ method: 'GET', url: '/api/v1/health/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', database: 'up', timestamp: expect.stringMatching(ISO_TIMESTAMP) });
  });
});

describeWithPostgres('health when the database goes away', () => {
  const suite = useTestApp();

  it('ready answers 503 DATABASE_UNAVAILABLE in the envelope, live stays 200', async () => {
    expect((await suite.app.inject({ method: 'GET', url: '/api/v1/health/ready' })).statusCode).toBe(200);
    await suite.database.drop(); // terminates the app's connections and removes the database

    const started = Date.now();
    const ready = await suite.app.inject({ method: 'GET', url: '/api/v1/health/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({
      error: 'Database is not reachable',
      code: 'DATABASE_UNAVAILABLE',
      requestId: ready.headers['x-request-id'],
    });
    // Bounded by the readiness timeout, so probes never hang on a dead database.
    expect(Date.now() - started).toBeLessThan(5_000);

    const live = await suite.app.inject({ method: 'GET', url: '/api/v1/health/live' });
    expect(live.statusCode).toBe(200);
  });
});
