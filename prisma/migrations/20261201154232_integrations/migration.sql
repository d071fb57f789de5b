-- CreateEnum
CREATE TYPE "InboundEventKind" AS ENUM ('MESSAGE', 'STATUS');

-- CreateEnum
CREATE TYPE "IdempotencyState" AS ENUM ('IN_PROGRESS', 'COMPLETED');

-- CreateTable
CREATE TABLE "integration_credentials" (
    "tenantId" UUID NOT NULL,
    "id" UUID NOT NULL,
    "type" VARCHAR(64) NOT NULL,
    "keyId" VARCHAR(32) NOT NULL,
    "ciphertext" BYTEA NOT NULL,
    "fingerprint" CHAR(16) NOT NULL,
    "last4" VARCHAR(4) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rotatedAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "integration_credentials_pkey" PRIMARY KEY ("tenantId","id")
);

-- CreateTable
CREATE TABLE "integration_configs" (
    "tenantId" UUID NOT NULL,
    "id" UUID NOT NULL,
    "provider" VARCHAR(32) NOT NULL,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "lookupHash" CHAR(64),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "integration_configs_pkey" PRIMARY KEY ("tenantId","id")
);

-- CreateTable
CREATE TABLE "whatsapp_inbound_events" (
    "tenantId" UUID NOT NULL,
    "id" UUID NOT NULL,
    "kind" "InboundEventKind" NOT NULL,
    "dedupeKey" VARCHAR(400) NOT NULL,
    "metaId" VARCHAR(255) NOT NULL,
    "phoneNumberId" VARCHAR(64) NOT NULL,
    "payload" JSONB NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMPTZ(3),

    CONSTRAINT "whatsapp_inbound_events_pkey" PRIMARY KEY ("tenantId","id")
);

-- CreateTable
CREATE TABLE "whatsapp_signup_states" (
    "tenantId" UUID NOT NULL,
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "whatsapp_signup_states_pkey" PRIMARY KEY ("tenantId","id")
);

-- CreateTable
CREATE TABLE "idempotency_keys" (
    "tenantId" UUID NOT NULL,
    "id" UUID NOT NULL,
    "key" VARCHAR(255) NOT NULL,
    "fingerprint" CHAR(64) NOT NULL,
    "state" "IdempotencyState" NOT NULL DEFAULT 'IN_PROGRESS',
    "lockedUntil" TIMESTAMPTZ(3) NOT NULL,
    "responseStatus" INTEGER,
    "responseKeyId" VARCHAR(32),
    "response" BYTEA,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("tenantId","id")
);

-- CreateTable
CREATE TABLE "signup_idempotency_keys" (
    "id" UUID NOT NULL,
    "key" VARCHAR(255) NOT NULL,
    "emailHash" CHAR(64) NOT NULL,
    "fingerprint" CHAR(64) NOT NULL,
    "state" "IdempotencyState" NOT NULL DEFAULT 'IN_PROGRESS',
    "lockedUntil" TIMESTAMPTZ(3) NOT NULL,
    "responseStatus" INTEGER,
    "responseKeyId" VARCHAR(32),
    "response" BYTEA,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "signup_idempotency_keys_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "integration_credentials_keyId_idx" ON "integration_credentials"("keyId");

-- CreateIndex
CREATE UNIQUE INDEX "integration_credentials_tenantId_type_key" ON "integration_credentials"("tenantId", "type");

-- CreateIndex
CREATE INDEX "integration_configs_lookupHash_idx" ON "integration_configs"("lookupHash");

-- CreateIndex
CREATE UNIQUE INDEX "integration_configs_tenantId_provider_key" ON "integration_configs"("tenantId", "provider");

-- CreateIndex
CREATE INDEX "whatsapp_inbound_events_tenantId_receivedAt_idx" ON "whatsapp_inbound_events"("tenantId", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "whatsapp_inbound_events_tenantId_dedupeKey_key" ON "whatsapp_inbound_events"("tenantId", "dedupeKey");

-- CreateIndex
CREATE INDEX "whatsapp_signup_states_tenantId_expiresAt_idx" ON "whatsapp_signup_states"("tenantId", "expiresAt");

-- CreateIndex
CREATE INDEX "idempotency_keys_expiresAt_idx" ON "idempotency_keys"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "idempotency_keys_tenantId_key_key" ON "idempotency_keys"("tenantId", "key");

-- CreateIndex
CREATE INDEX "signup_idempotency_keys_expiresAt_idx" ON "signup_idempotency_keys"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "signup_idempotency_keys_key_emailHash_key" ON "signup_idempotency_keys"("key", "emailHash");

-- AddForeignKey
ALTER TABLE "integration_credentials" ADD CONSTRAINT "integration_credentials_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "integration_configs" ADD CONSTRAINT "integration_configs_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "whatsapp_inbound_events" ADD CONSTRAINT "whatsapp_inbound_events_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "whatsapp_signup_states" ADD CONSTRAINT "whatsapp_signup_states_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A credential is never stored in the clear: the sealed value has its format byte, IV and tag at least.
ALTER TABLE "integration_credentials" ADD CONSTRAINT "integration_credentials_sealed" CHECK (octet_length("ciphertext") > 29);
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_completed"
    CHECK (("state" = 'COMPLETED') = ("responseStatus" IS NOT NULL AND "response" IS NOT NULL AND "responseKeyId" IS NOT NULL));
ALTER TABLE "signup_idempotency_keys" ADD CONSTRAINT "signup_idempotency_keys_completed"
    CHECK (("state" = 'COMPLETED') = ("responseStatus" IS NOT NULL AND "response" IS NOT NULL AND "responseKeyId" IS NOT NULL));

CREATE TRIGGER "integration_credentials_set_updated_at" BEFORE UPDATE ON "integration_credentials"
    FOR EACH ROW EXECUTE FUNCTION "set_updated_at"();
CREATE TRIGGER "integration_configs_set_updated_at" BEFORE UPDATE ON "integration_configs"
    FOR EACH ROW EXECUTE FUNCTION "set_updated_at"();
CREATE TRIGGER "idempotency_keys_set_updated_at" BEFORE UPDATE ON "idempotency_keys"
    FOR EACH ROW EXECUTE FUNCTION "set_updated_at"();
CREATE TRIGGER "signup_idempotency_keys_set_updated_at" BEFORE UPDATE ON "signup_idempotency_keys"
    FOR EACH ROW EXECUTE FUNCTION "set_updated_at"();

-- Tenant-owned: RLS enabled and forced, one policy on the current tenant, app_tenant's privileges.
-- (signup_idempotency_keys is global: signup runs before its tenant exists, on the platform path.)
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['integration_credentials', 'integration_configs', 'whatsapp_inbound_events', 'whatsapp_signup_states', 'idempotency_keys'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY "tenant_isolation" ON %I USING ("tenantId" = "current_tenant_id"()) WITH CHECK ("tenantId" = "current_tenant_id"())', t);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO "app_tenant"', t);
    END LOOP;
END $$;
