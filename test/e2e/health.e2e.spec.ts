import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestApp } from '../support/test-app';
import { createTestDatabase, describeWithPostgres, TestDatabase } from '../support/test-database';

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('health', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await createTestApp({ databaseUrl: database.url });
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('live answers 200 with a timestamp', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/health/live' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', timestamp: expect.stringMatching(ISO_TIMESTAMP) });
  });

  it('ready answers 200 when the database answers', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/health/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', database: 'up', timestamp: expect.stringMatching(ISO_TIMESTAMP) });
  });
});

describeWithPostgres('health when the database goes away', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await createTestApp({ databaseUrl: database.url });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('ready answers 503 DATABASE_UNAVAILABLE in the envelope, live stays 200', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/health/ready' })).statusCode).toBe(200);
    await database.drop(); // terminates the app's connections and removes the database

    const started = Date.now();
    const ready = await app.inject({ method: 'GET', url: '/api/v1/health/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({
      error: 'Database is not reachable',
      code: 'DATABASE_UNAVAILABLE',
      requestId: ready.headers['x-request-id'],
    });
    // Bounded by the readiness timeout, so probes never hang on a dead database.
    expect(Date.now() - started).toBeLessThan(5_000);

    const live = await app.inject({ method: 'GET', url: '/api/v1/health/live' });
    expect(live.statusCode).toBe(200);
  });
});
