import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config';
import { IntegrationsError, IntegrationsErrorCode } from '../../integrations.errors';
import { CREDENTIAL_TYPES } from '../../vault/credential-types';
import { GRAPH_API_MAX_RESPONSE_BYTES } from '../../integrations.constants';

/** The Meta app the platform runs as: both parts are needed to exchange a signup code. */
export interface MetaApp {
  appId: string;
  appSecret: string;
}

/** What Meta says when it refuses: `{ error: { message, type, code, fbtrace_id } }`. */
interface GraphErrorBody {
  error?: { message?: unknown; type?: unknown; code?: unknown; fbtrace_id?: unknown };
}

/**
 * Meta's Graph API, as far as embedded signup needs it: exchanging the code Meta's popup returns for
 * the business's access token. The base URL and version come from config (tests point it at a local
 * fake). Every failure becomes GRAPH_API_ERROR (502) or GRAPH_API_TIMEOUT (504); Meta's own message
 * is logged, not returned, and neither the code, the app secret nor the token is ever logged.
 */
@Injectable()
export class GraphApiClient {
  private readonly logger = new Logger(GraphApiClient.name);

  constructor(private readonly config: AppConfig) {}

  /** `GET /{version}/oauth/access_token?client_id&client_secret&code` (Meta's documented exchange). */
  async exchangeCode(app: MetaApp, code: string): Promise<string> {
    const url = new URL(`${this.config.META_GRAPH_URL.replace(/\/+$/, '')}/${this.config.META_GRAPH_API_VERSION}/oauth/access_token`);
    url.search = new URLSearchParams({ client_id: app.appId, client_secret: app.appSecret, code }).toString();
    const body = await this.call(url, 'oauth/access_token');
    const token = (body as { access_token?: unknown }).access_token;
    if (typeof token !== 'string' || CREDENTIAL_TYPES.whatsapp_access_token.problem(token) !== null) {
      this.logger.warn({ operation: 'oauth/access_token' }, 'Graph API answered without a usable access_token');
      throw failed();
    }
    return token;
  }

  private async call(url: URL, operation: string): Promise<unknown> {
    const timeoutMs = this.config.META_GRAPH_TIMEOUT_MS;
    let response: Response;
    let text: string;
    try {
      // One signal for the whole exchange: a server that answers headers and then stalls the body times out too.
      const signal = AbortSignal.timeout(timeoutMs);
      response = await fetch(url, { method: 'GET', headers: { accept: 'application/json' }, signal, redirect: 'error' });
      text = await readLimited(response, GRAPH_API_MAX_RESPONSE_BYTES);
    } catch (error) {
      // By name, not instanceof: fetch's DOMException may come from another realm (test sandboxes).
      const name = (error as { name?: unknown } | null)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        this.logger.warn({ operation, timeoutMs }, 'Graph API did not answer in time');
        throw new IntegrationsError(IntegrationsErrorCode.GRAPH_API_TIMEOUT, `Meta did not answer within ${timeoutMs} ms; try again`);
      }
      // The cause says "connection refused" or a TLS problem; the URL (which carries the app secret) is left out.
      this.logger.warn({ operation, reason: reasonOf(error) }, 'Graph API unreachable');
      throw failed();
    }
    const body = parseJson(text);
    if (!response.ok || body === undefined) {
      const details = (body as GraphErrorBody | undefined)?.error;
      this.logger.warn(
        {
          operation,
          status: response.status,
          metaType: typeof details?.type === 'string' ? details.type : undefined,
          metaCode: typeof details?.code === 'number' ? details.code : undefined,
          fbtraceId: typeof details?.fbtrace_id === 'string' ? details.fbtrace_id.slice(0, 64) : undefined,
          metaMessage: typeof details?.message === 'string' ? details.message.slice(0, 300) : undefined,
        },
        'Graph API refused the request',
      );
      throw failed();
    }
    return body;
  }
}

/** Why a request failed to happen (fetch's own message is only "fetch failed"; the cause says more). */
function reasonOf(error: unknown): string {
  const { message, cause } = (error ?? {}) as { message?: unknown; cause?: { message?: unknown; code?: unknown } };
  const text = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : message;
  return typeof text === 'string' ? text.slice(0, 200) : 'unknown';
}

function failed(): IntegrationsError {
  return new IntegrationsError(IntegrationsErrorCode.GRAPH_API_ERROR, 'Meta refused the request or answered unexpectedly; try the signup again');
}

function parseJson(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The body as text, refusing (as unreachable) one larger than `limit`: Meta's answers here are tiny. */
async function readLimited(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new Error(`response larger than ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
