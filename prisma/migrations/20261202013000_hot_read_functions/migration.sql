-- Hot reads (issue #15, docs/architecture.md "Hot reads in one round trip"): the list endpoints'
-- page and total as PL/pgSQL functions. PL/pgSQL keeps the plans of its statements for the session,
-- so each backend plans these once instead of on every request (the policy's planning was most of
-- what row-level security cost per request; docs/benchmarks.md). The plans hold no tenant: the
-- tenant is a parameter, and the policy's current_tenant_id() is evaluated on each call.
--
-- SECURITY INVOKER (the default), so they run as the caller: as app_tenant inside the tenant's
-- transaction, where row-level security filters every row they read. Each also filters by the
-- tenant it is given (wall 4), so either layer alone holds. STABLE: they only read.

CREATE FUNCTION "tenant_packages_page"(p_tenant uuid, p_segment uuid, p_active boolean, p_limit bigint, p_offset bigint)
RETURNS SETOF "packages" LANGUAGE plpgsql STABLE SECURITY INVOKER AS $$
BEGIN
    RETURN QUERY
        SELECT p.* FROM "public"."packages" p
        WHERE p."tenantId" = p_tenant
          AND (p_segment IS NULL OR p."segmentId" = p_segment)
          AND (p_active IS NULL OR p."active" = p_active)
        ORDER BY p."groupingOrder" ASC, p."createdAt" ASC, p."id" ASC
        LIMIT p_limit OFFSET p_offset;
END
$$;

CREATE FUNCTION "tenant_packages_count"(p_tenant uuid, p_segment uuid, p_active boolean)
RETURNS integer LANGUAGE plpgsql STABLE SECURITY INVOKER AS $$
BEGIN
    RETURN (
        SELECT COUNT(*)::int FROM "public"."packages" p
        WHERE p."tenantId" = p_tenant
          AND (p_segment IS NULL OR p."segmentId" = p_segment)
          AND (p_active IS NULL OR p."active" = p_active)
    );
END
$$;

-- The key list's public columns only: never "secretHash".
CREATE FUNCTION "tenant_api_keys_page"(p_tenant uuid, p_limit bigint, p_offset bigint)
RETURNS TABLE ("id" uuid, "publicId" varchar, "name" varchar, "scopes" varchar[], "lastUsedAt" timestamptz, "expiresAt" timestamptz, "revokedAt" timestamptz, "createdAt" timestamptz)
LANGUAGE plpgsql STABLE SECURITY INVOKER AS $$
BEGIN
    RETURN QUERY
        SELECT k."id", k."publicId", k."name", k."scopes", k."lastUsedAt", k."expiresAt", k."revokedAt", k."createdAt"
        FROM "public"."api_keys" k
        WHERE k."tenantId" = p_tenant
        ORDER BY k."createdAt" DESC, k."id" DESC
        LIMIT p_limit OFFSET p_offset;
END
$$;

CREATE FUNCTION "tenant_api_keys_count"(p_tenant uuid)
RETURNS integer LANGUAGE plpgsql STABLE SECURITY INVOKER AS $$
BEGIN
    RETURN (SELECT COUNT(*)::int FROM "public"."api_keys" k WHERE k."tenantId" = p_tenant);
END
$$;

GRANT EXECUTE ON FUNCTION "tenant_packages_page"(uuid, uuid, boolean, bigint, bigint), "tenant_packages_count"(uuid, uuid, boolean),
    "tenant_api_keys_page"(uuid, bigint, bigint), "tenant_api_keys_count"(uuid) TO "app_tenant";
