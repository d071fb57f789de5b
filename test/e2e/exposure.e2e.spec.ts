import { useTestApp } from '../support/test-app';

// /docs and /metrics are public; a deployment that does not want them on its listener turns them off.
describe('DOCS_ENABLED and METRICS_ENABLED', () => {
  describe('by default', () => {
    const suite = useTestApp();

    it.each(['/docs', '/docs/openapi.json', '/metrics'])('%s is served', async (url) => {
      expect((await suite.app.inject({ method: 'GET', url })).statusCode).toBe(200);
    });
  });

  describe('when both are false', () => {
    const suite = useTestApp({ env: { DOCS_ENABLED: 'false', METRICS_ENABLED: 'false' } });

    it.each(['/docs', '/docs/openapi.json', '/docs/openapi.yaml', '/metrics'])('%s answers 404 like an unknown route', async (url) => {
      const response = await suite.app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({
        error: `Route GET ${url} not found`,
        code: 'NOT_FOUND',
        requestId: response.headers['x-request-id'],
      });
    });

    it('the API is still served', async () => {
      expect((await suite.app.inject({ method: 'GET', url: '/api/v1/health/live' })).statusCode).toBe(200);
    });
  });
});
