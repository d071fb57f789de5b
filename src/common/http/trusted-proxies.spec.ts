import { parseTrustedProxies, TrustedProxies } from './trusted-proxies';

describe('TRUST_PROXY', () => {
  it('accepts false, addresses, CIDR ranges and the loopback/linklocal/uniquelocal names', () => {
    for (const setting of ['false', '10.0.0.5', '10.0.0.0/8, 192.168.1.1', '2001:db8::/32,::1', 'loopback', 'uniquelocal,linklocal', '0.0.0.0/0']) {
      expect({ setting, valid: parseTrustedProxies(setting) !== null }).toEqual({ setting, valid: true });
    }
  });

  it('refuses anything else, `true` included: trusting every peer lets any client pick its address', () => {
    for (const setting of ['true', '1', '', 'proxy.internal', '10.0.0.0/33', '10.0.0.1/8/2', '::1/129', '10.0.0.1,', '10.0.0.256']) {
      expect({ setting, valid: parseTrustedProxies(setting) !== null }).toEqual({ setting, valid: false });
    }
  });

  it('trusts exactly the listed peers, IPv4-mapped IPv6 addresses included', () => {
    const proxies = new TrustedProxies();
    expect(proxies.trusts('127.0.0.1')).toBe(false); // nobody until configured
    proxies.configure('10.0.0.0/8, loopback');
    expect(['10.1.2.3', '::ffff:10.1.2.3', '127.0.0.1', '::1'].map(proxies.trusts)).toEqual([true, true, true, true]);
    expect(['11.0.0.1', '192.168.0.1', '2001:db8::1', 'not-an-address'].map(proxies.trusts)).toEqual([false, false, false, false]);
    proxies.configure('false');
    expect(proxies.trusts('10.1.2.3')).toBe(false);
  });
});
