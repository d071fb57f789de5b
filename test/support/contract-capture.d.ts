import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ContractExchange } from './openapi-contract';

export function captureExchanges(fastify: FastifyInstance, onExchange: (exchange: ContractExchange) => void, isTestOnly?: (request: FastifyRequest) => boolean): void;
