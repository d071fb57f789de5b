import { BlockList, isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';

/** The address ranges Fastify's (proxy-addr's) names stand for, so TRUST_PROXY reads the same. */
const NAMED_RANGES: Record<string, ReadonlyArray<readonly [string, number]>> = {
  loopback: [
    ['127.0.0.0', 8],
    ['::1', 128],
  ],
  linklocal: [
    ['169.254.0.0', 16],
    ['fe80::', 10],
  ],
  uniquelocal: [
    ['10.0.0.0', 8],
    ['172.16.0.0', 12],
    ['192.168.0.0', 16],
    ['fc00::', 7],
  ],
};

/** `false`, or a comma-separated list of proxy addresses, CIDR ranges and the names above. */
export const TRUST_PROXY_RULE = 'TRUST_PROXY must be false or a comma-separated list of IP addresses, CIDR ranges, loopback, linklocal or uniquelocal';

/** The proxies TRUST_PROXY names, or null when the setting is malformed. `false` trusts none. */
export function parseTrustedProxies(setting: string): BlockList | null {
  const list = new BlockList();
  if (setting.trim() === 'false') return list;
  for (const entry of setting.split(',').map((part) => part.trim())) {
    const named = NAMED_RANGES[entry];
    const [address, prefix, extra] = entry.split('/');
    const family = isIP(address ?? '');
    if (named) {
      for (const [network, bits] of named) list.addSubnet(network, bits, isIP(network) === 6 ? 'ipv6' : 'ipv4');
    } else if (family && extra === undefined && (prefix === undefined || isPrefix(prefix, family === 6 ? 128 : 32))) {
      list.addSubnet(address, prefix === undefined ? (family === 6 ? 128 : 32) : Number(prefix), family === 6 ? 'ipv6' : 'ipv4');
    } else {
      return null;
    }
  }
  return list;
}

function isPrefix(text: string, max: number): boolean {
  return /^\d{1,3}$/.test(text) && Number(text) <= max;
}

/**
 * Which peers may speak for the client in X-Forwarded-For (and -Proto, -Host). Fastify takes its
 * trust function when the server is built, before the validated configuration exists, so the
 * function it gets asks this object, which bootstrap() configures from TRUST_PROXY. Until then, and
 * by default, nobody is trusted: `request.ip` is the socket's peer.
 */
export class TrustedProxies {
  private list = new BlockList();

  readonly trusts = (address: string): boolean => {
    const family = isIP(address);
    return family !== 0 && this.list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };

  configure(setting: string): void {
    const list = parseTrustedProxies(setting);
    if (!list) throw new Error(TRUST_PROXY_RULE);
    this.list = list;
  }
}

const proxiesByServer = new WeakMap<FastifyInstance, TrustedProxies>();

export function attachTrustedProxies(server: FastifyInstance, proxies: TrustedProxies): void {
  proxiesByServer.set(server, proxies);
}

/** The server's TrustedProxies; servers not made by createHttpAdapter() have none, which is a bug. */
export function trustedProxiesOf(server: FastifyInstance): TrustedProxies {
  const proxies = proxiesByServer.get(server);
  if (!proxies) throw new Error('The HTTP server was not made by createHttpAdapter(): client addresses cannot be derived');
  return proxies;
}
