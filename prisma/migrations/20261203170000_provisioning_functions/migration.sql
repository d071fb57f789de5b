-- Provisioning in one statement (issue #15; docs/architecture.md "Tenants: creation and lifecycle"):
-- the two halves of a new tenant as PL/pgSQL functions, which TenantDatabase.runFromPlatformAtOnce()
-- calls in ONE statement, switching to the tenant between them. PL/pgSQL keeps the plans of its
-- statements for the session, so a pooled connection plans these writes once, not per tenant.
--
-- Neither function changes the role or a setting (the schema test holds every function to that):
-- the switch to app_tenant and the new tenant is the calling statement's, in application code.
-- Both are SECURITY INVOKER (the default): the platform half runs as the connection's role, the
-- tenant half as app_tenant, where row-level security checks every row it writes. Every value is a
-- parameter; the functions decide nothing but "reuse the owner found by email, or insert one".

-- The platform half: the tenant (ACTIVE at once: nobody can observe a single transaction's
-- PROVISIONING), its owner (found by email when p_reuse_owner, else inserted, so a taken email is the
-- unique violation signup reports as EMAIL_TAKEN) and the OWNER membership. app_tenant may call it,
-- but may not write these tables, so its inserts are refused. Exactly one row, or an error: the
-- calling statement enters the tenant once per row it returns.
CREATE FUNCTION "provision_tenant_platform"(
    p_tenant uuid, p_slug varchar, p_name varchar, p_email varchar, p_domain varchar, p_settings jsonb,
    p_commission_percent numeric, p_phone_number_id varchar, p_genesys_integration_id varchar,
    p_owner uuid, p_owner_email varchar, p_owner_password_hash varchar, p_reuse_owner boolean)
RETURNS TABLE ("tenantId" uuid, "tenant" jsonb, "ownerId" uuid, "ownerEmail" varchar, "ownerPasswordHash" varchar)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER AS $$
-- The result columns are variables in PL/pgSQL; where a name is also a column, the column is meant.
#variable_conflict use_column
DECLARE
    written bigint;
BEGIN
    RETURN QUERY
        WITH new_tenant AS (
            INSERT INTO "public"."tenants" ("id", "slug", "name", "email", "domain", "settings", "commissionPercent", "phoneNumberId", "genesysIntegrationId", "status")
            VALUES (p_tenant, p_slug, p_name, p_email, p_domain, p_settings, p_commission_percent, p_phone_number_id, p_genesys_integration_id, 'ACTIVE')
            RETURNING *
        ), existing_owner AS (
            SELECT u."id", u."email", u."passwordHash" FROM "public"."users" u WHERE p_reuse_owner AND u."email" = p_owner_email
        ), created_owner AS (
            INSERT INTO "public"."users" ("id", "email", "passwordHash")
            SELECT p_owner, p_owner_email, p_owner_password_hash WHERE NOT EXISTS (SELECT 1 FROM existing_owner)
            RETURNING "id", "email", "passwordHash"
        ), new_owner AS (
            SELECT * FROM existing_owner UNION ALL SELECT * FROM created_owner
        ), membership AS (
            INSERT INTO "public"."tenant_memberships" ("tenantId", "userId", "role")
            SELECT t."id", o."id", 'OWNER'::"MembershipRole" FROM new_tenant t, new_owner o
        )
        SELECT t."id", to_jsonb(t), o."id", o."email", o."passwordHash" FROM new_tenant t, new_owner o;
    GET DIAGNOSTICS written = ROW_COUNT;
    IF written <> 1 THEN
        RAISE EXCEPTION 'provision_tenant_platform: % rows, expected one', written;
    END IF;
END
$$;

-- The tenant half, run as app_tenant with app.current_tenant_id = p_tenant: the General segment,
-- the default packages (one row per array element), the first API key (its hash; the secret is
-- never here) and the tenant.created audit event. Returns what the response shows, as JSON. It
-- refuses to run for any other role or tenant: row-level security would refuse its rows anyway, and
-- this also catches a call PostgreSQL evaluated before the switch.
CREATE FUNCTION "provision_tenant_defaults"(
    p_tenant uuid,
    p_segment uuid, p_segment_slug varchar, p_segment_name varchar, p_segment_hero_title varchar,
    p_segment_description varchar, p_segment_sort_order integer,
    p_package_ids uuid[], p_package_slugs varchar[], p_package_names varchar[], p_package_descriptions varchar[],
    p_package_base_prices integer[], p_package_grouping_orders integer[],
    p_key uuid, p_key_public_id varchar, p_key_secret_hash varchar, p_key_name varchar, p_key_scopes varchar[],
    p_event uuid, p_actor_type "ActorType", p_actor_id uuid, p_request_id varchar, p_metadata jsonb)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY INVOKER AS $$
DECLARE
    result jsonb;
BEGIN
    IF current_user <> 'app_tenant' OR "public"."current_tenant_id"() IS DISTINCT FROM p_tenant THEN
        RAISE EXCEPTION 'provision_tenant_defaults: must run as app_tenant for tenant %', p_tenant;
    END IF;
    WITH segment AS (
        INSERT INTO "public"."segments" ("tenantId", "id", "slug", "name", "heroTitle", "description", "sortOrder")
        VALUES (p_tenant, p_segment, p_segment_slug, p_segment_name, p_segment_hero_title, p_segment_description, p_segment_sort_order)
        RETURNING *
    ), packages AS (
        INSERT INTO "public"."packages" ("tenantId", "id", "segmentId", "slug", "name", "description", "basePrice", "groupingOrder")
        SELECT segment."tenantId", p.id, segment."id", p.slug, p.name, p.description, p.base_price, p.grouping_order
        FROM segment, unnest(p_package_ids, p_package_slugs, p_package_names, p_package_descriptions, p_package_base_prices, p_package_grouping_orders)
            AS p(id, slug, name, description, base_price, grouping_order)
        RETURNING *
    ), api_key AS (
        INSERT INTO "public"."api_keys" ("tenantId", "id", "publicId", "secretHash", "name", "scopes")
        VALUES (p_tenant, p_key, p_key_public_id, p_key_secret_hash, p_key_name, p_key_scopes)
        RETURNING "id", "publicId", "name", "scopes"
    ), audit AS (
        -- No RETURNING: app_tenant may only insert audit events.
        INSERT INTO "public"."audit_events" ("id", "actorType", "actorId", "action", "tenantId", "targetType", "targetId", "requestId", "metadata")
        VALUES (p_event, p_actor_type, p_actor_id, 'tenant.created', p_tenant, 'tenant', p_tenant::text, p_request_id, p_metadata)
    )
    SELECT jsonb_build_object(
               'segment', (SELECT to_jsonb(segment) FROM segment),
               'packages', (SELECT jsonb_agg(packages ORDER BY packages."groupingOrder") FROM packages),
               'apiKey', (SELECT to_jsonb(api_key) FROM api_key))
      INTO result;
    RETURN result;
END
$$;

GRANT EXECUTE ON FUNCTION "provision_tenant_defaults"(uuid, uuid, varchar, varchar, varchar, varchar, integer, uuid[], varchar[], varchar[], varchar[],
    integer[], integer[], uuid, varchar, varchar, varchar, varchar[], uuid, "ActorType", uuid, varchar, jsonb) TO "app_tenant";
