-- CreateEnum
CREATE TYPE "TenantStatus" AS ENUM ('PROVISIONING', 'ACTIVE', 'SUSPENDED', 'DEPROVISIONING', 'DELETED');

-- CreateTable
CREATE TABLE "tenants" (
    "id" UUID NOT NULL,
    "slug" VARCHAR(63) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "email" VARCHAR(320) NOT NULL,
    "domain" VARCHAR(253),
    "settings" JSONB NOT NULL DEFAULT '{"timezone":"UTC","language":"en"}',
    "commissionPercent" DECIMAL(5,2) NOT NULL DEFAULT 10,
    "phoneNumberId" VARCHAR(64),
    "genesysIntegrationId" VARCHAR(64),
    "status" "TenantStatus" NOT NULL DEFAULT 'PROVISIONING',
    "statusReason" VARCHAR(500),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tenants_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "tenants_slug_key" ON "tenants"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "tenants_domain_key" ON "tenants"("domain");

-- CreateIndex
CREATE UNIQUE INDEX "tenants_phoneNumberId_key" ON "tenants"("phoneNumberId");

-- CreateIndex
CREATE UNIQUE INDEX "tenants_genesysIntegrationId_key" ON "tenants"("genesysIntegrationId");

-- CreateIndex
CREATE INDEX "tenants_status_idx" ON "tenants"("status");

-- updatedAt is the database's job too: raw SQL, other services and bulk updates bypass the ORM.
-- Every table with an "updatedAt" column gets a BEFORE UPDATE trigger calling this function.
CREATE FUNCTION "set_updated_at"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW."updatedAt" := CURRENT_TIMESTAMP;
    RETURN NEW;
END;
$$;

CREATE TRIGGER "tenants_set_updated_at"
    BEFORE UPDATE ON "tenants"
    FOR EACH ROW EXECUTE FUNCTION "set_updated_at"();
