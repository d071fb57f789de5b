-- A tenant's own request budget on the tenant API, a minute. NULL: the platform default from
-- configuration (RATE_LIMIT_TENANT_PER_MINUTE). tenants is a global table (no row-level security);
-- only the operators' platform API writes this column.
ALTER TABLE "tenants" ADD COLUMN     "rateLimitPerMinute" INTEGER;

-- Same bounds as the API's validation: a limit of 0 would be a suspension by other means.
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_rate_limit_positive"
    CHECK ("rateLimitPerMinute" IS NULL OR ("rateLimitPerMinute" >= 1 AND "rateLimitPerMinute" <= 1000000));
