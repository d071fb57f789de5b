import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake received. */
export interface GraphRequest {
  method: string;
  path: string;
  query: Record<string, string>;
}

/**
 * A stand-in for Meta's Graph API on 127.0.0.1 (no test reaches the internet). The code exchange
 * answers by the code's prefix: `ok-…` a token derived from the code (`tokenFor`), `refused-…`
 * Meta's OAuth error (400), `broken-…` an HTML 500, `empty-…` 200 without a token, `slow-<ms>-…`
 * a token after waiting that long.
 */
export class FakeGraphApi {
  readonly requests: GraphRequest[] = [];
  private server?: Server;

  static tokenFor(code: string): string {
    return `EAAG${createHash('sha256').update(code).digest('hex')}`;
  }

  async start(): Promise<string> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  exchanges(): GraphRequest[] {
    return this.requests.filter((request) => request.path.endsWith('/oauth/access_token'));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const entry = { method: request.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams) };
    this.requests.push(entry);
    const json = (status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (!/^\/v\d+\.\d+\/oauth\/access_token$/.test(url.pathname) || request.method !== 'GET') {
      json(404, { error: { message: 'Unknown path components', type: 'OAuthException', code: 2500, fbtrace_id: 'Afake' } });
      return;
    }
    const code = entry.query.code ?? '';
    const slow = /^slow-(\d+)-/.exec(code);
    if (slow) await new Promise((resolve) => setTimeout(resolve, Number(slow[1])));
    if (response.destroyed) return;
    if (code.startsWith('refused-')) {
      json(400, { error: { message: 'Invalid verification code format.', type: 'OAuthException', code: 100, fbtrace_id: 'AfakeTrace' } });
    } else if (code.startsWith('broken-')) {
      response.writeHead(500, { 'content-type': 'text/html' }).end('<html><body>Sorry, something went wrong.</body></html>');
    } else if (code.startsWith('empty-')) {
      json(200, { token_type: 'bearer' });
    } else {
      json(200, { access_token: FakeGraphApi.tokenFor(code), token_type: 'bearer' });
    }
  }
}
