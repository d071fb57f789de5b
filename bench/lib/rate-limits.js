// Rate limits far above anything a benchmark sends from its one client address, so what a benchmark
// measures is the work behind the limits, not 429s. bench/login-flood measures the limits themselves.
'use strict';

exports.UNLIMITED_RATE_LIMITS = Object.freeze({
  RATE_LIMIT_LOGIN_PER_ACCOUNT_PER_MINUTE: '1000000',
  RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE: '1000000',
  RATE_LIMIT_SIGNUP_PER_IP_PER_HOUR: '1000000',
  RATE_LIMIT_REFRESH_PER_IP_PER_MINUTE: '1000000',
  RATE_LIMIT_STOREFRONT_MISSES_PER_IP_PER_MINUTE: '1000000',
  RATE_LIMIT_TENANT_PER_MINUTE: '1000000',
  RATE_LIMIT_API_KEY_PER_MINUTE: '1000000',
});
