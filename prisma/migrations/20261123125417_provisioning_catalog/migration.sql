-- CreateEnum
CREATE TYPE "BookingType" AS ENUM ('DATE', 'TIMESLOT');

-- CreateTable
CREATE TABLE "segments" (
    "tenantId" UUID NOT NULL,
    "id" UUID NOT NULL,
    "slug" VARCHAR(63) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "heroTitle" VARCHAR(200),
    "description" VARCHAR(2000),
    "sortOrder" INTEGER NOT NULL DEFAULT 0,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "segments_pkey" PRIMARY KEY ("tenantId","id")
);

-- CreateTable
CREATE TABLE "packages" (
    "tenantId" UUID NOT NULL,
    "id" UUID NOT NULL,
    "segmentId" UUID NOT NULL,
    "slug" VARCHAR(63) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "description" VARCHAR(2000),
    "basePrice" INTEGER NOT NULL DEFAULT 0,
    "bookingType" "BookingType" NOT NULL DEFAULT 'DATE',
    "groupingOrder" INTEGER NOT NULL DEFAULT 0,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "packages_pkey" PRIMARY KEY ("tenantId","id")
);

-- CreateIndex
CREATE INDEX "segments_tenantId_sortOrder_idx" ON "segments"("tenantId", "sortOrder");

-- CreateIndex
CREATE UNIQUE INDEX "segments_tenantId_slug_key" ON "segments"("tenantId", "slug");

-- CreateIndex
CREATE INDEX "packages_tenantId_segmentId_groupingOrder_idx" ON "packages"("tenantId", "segmentId", "groupingOrder");

-- CreateIndex
CREATE UNIQUE INDEX "packages_tenantId_slug_key" ON "packages"("tenantId", "slug");

-- CreateIndex
CREATE UNIQUE INDEX "tenants_email_key" ON "tenants"("email");

-- AddForeignKey
ALTER TABLE "segments" ADD CONSTRAINT "segments_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "packages" ADD CONSTRAINT "packages_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "packages" ADD CONSTRAINT "packages_tenantId_segmentId_fkey" FOREIGN KEY ("tenantId", "segmentId") REFERENCES "segments"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Rules the application validates, held by the database too (a bug or a script cannot break them).
-- Existing rows are lowercased first so the email CHECK can be added to a live table.
UPDATE "tenants" SET "email" = lower("email") WHERE "email" <> lower("email");
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_email_lowercase" CHECK ("email" = lower("email"));
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_slug_format"
    CHECK ("slug" ~ '^[a-z0-9]([a-z0-9-]{1,61}[a-z0-9])$');
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_commission_range"
    CHECK ("commissionPercent" >= 0 AND "commissionPercent" <= 100);
ALTER TABLE "segments" ADD CONSTRAINT "segments_slug_format" CHECK ("slug" ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$');
ALTER TABLE "packages" ADD CONSTRAINT "packages_slug_format" CHECK ("slug" ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$');
ALTER TABLE "packages" ADD CONSTRAINT "packages_base_price_non_negative" CHECK ("basePrice" >= 0);

CREATE TRIGGER "segments_set_updated_at" BEFORE UPDATE ON "segments"
    FOR EACH ROW EXECUTE FUNCTION "set_updated_at"();
CREATE TRIGGER "packages_set_updated_at" BEFORE UPDATE ON "packages"
    FOR EACH ROW EXECUTE FUNCTION "set_updated_at"();

-- Tenant-owned: RLS enabled and forced, one policy on the current tenant, app_tenant's privileges.
ALTER TABLE "segments" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "segments" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "segments"
    USING ("tenantId" = "current_tenant_id"())
    WITH CHECK ("tenantId" = "current_tenant_id"());
GRANT SELECT, INSERT, UPDATE, DELETE ON "segments" TO "app_tenant";

ALTER TABLE "packages" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "packages" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "packages"
    USING ("tenantId" = "current_tenant_id"())
    WITH CHECK ("tenantId" = "current_tenant_id"());
GRANT SELECT, INSERT, UPDATE, DELETE ON "packages" TO "app_tenant";
