-- CreateEnum
CREATE TYPE "ProposalStatus" AS ENUM ('PENDING', 'CONFIRMED', 'REJECTED', 'EXPIRED', 'FAILED');

-- CreateTable
CREATE TABLE "agent_proposals" (
    "tenantId" UUID NOT NULL,
    "id" UUID NOT NULL,
    "tool" VARCHAR(100) NOT NULL,
    "payload" JSONB NOT NULL,
    "summary" VARCHAR(2000) NOT NULL,
    "status" "ProposalStatus" NOT NULL DEFAULT 'PENDING',
    "proposedByType" "ActorType" NOT NULL,
    "proposedById" UUID,
    "decidedById" UUID,
    "decidedAt" TIMESTAMPTZ(3),
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "result" JSONB,
    "error" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_proposals_pkey" PRIMARY KEY ("tenantId","id")
);

-- CreateIndex
CREATE INDEX "agent_proposals_tenantId_status_createdAt_idx" ON "agent_proposals"("tenantId", "status", "createdAt");

-- AddForeignKey
ALTER TABLE "agent_proposals" ADD CONSTRAINT "agent_proposals_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A proposal is decided once: a decision time exactly when it left PENDING (EXPIRED is set lazily).
ALTER TABLE "agent_proposals" ADD CONSTRAINT "agent_proposals_decided"
    CHECK (("status" IN ('PENDING', 'EXPIRED')) = ("decidedAt" IS NULL));

CREATE TRIGGER "agent_proposals_set_updated_at" BEFORE UPDATE ON "agent_proposals"
    FOR EACH ROW EXECUTE FUNCTION "set_updated_at"();

-- Tenant-owned: RLS enabled and forced, one policy on the current tenant, app_tenant's privileges.
ALTER TABLE "agent_proposals" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "agent_proposals" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "agent_proposals"
    USING ("tenantId" = "current_tenant_id"())
    WITH CHECK ("tenantId" = "current_tenant_id"());
GRANT SELECT, INSERT, UPDATE, DELETE ON "agent_proposals" TO "app_tenant";
