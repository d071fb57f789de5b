import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { REQUEST_ID_HEADER } from '../constants';
import { STATUS_CODE } from '../errors/error-status';
import { CommonErrorCode } from '../errors/common.errors';

/**
 * Requests Node's HTTP parser rejects before Fastify sees them (headers too large, a malformed
 * Content-Length...) still get the error envelope and a request id, written straight to the socket.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) return;
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const requestId = randomUUID();
  const body = JSON.stringify({
    error: STATUS_CODES[status] ?? 'Bad Request',
    code: STATUS_CODE[status] ?? CommonErrorCode.BAD_REQUEST,
    requestId,
  });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      'content-type: application/json; charset=utf-8\r\n' +
      `content-length: ${Buffer.byteLength(body)}\r\n` +
      `${REQUEST_ID_HEADER}: ${requestId}\r\n` +
      'connection: close\r\n\r\n' +
      body,
  );
}
