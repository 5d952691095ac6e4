-- The audit log against the database's own roles, and least-privilege roles for the app.
--
-- Appends are now chained by the application with an HMAC whose key the database never sees
-- (lib/audit/chain.ts), so the database's own unkeyed chain trigger goes. Events written before
-- this migration keep their unkeyed hashes: each category's keyed chain continues from its newest one.
DROP TRIGGER IF EXISTS audit_events_chain ON audit_events;
--> statement-breakpoint
DROP FUNCTION IF EXISTS audit_events_chain();
--> statement-breakpoint
INSERT INTO audit_chain (singleton) VALUES (true) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO audit_chain_heads (category, seq, last_hash)
SELECT c.category, 0, coalesce(
  (SELECT e.hash FROM audit_events e WHERE e.category = c.category ORDER BY e.id DESC LIMIT 1),
  (SELECT k.last_hash FROM audit_checkpoints k WHERE k.category = c.category ORDER BY k.last_event_id DESC LIMIT 1))
FROM (SELECT category FROM audit_events UNION SELECT category FROM audit_checkpoints) c
ON CONFLICT (category) DO NOTHING;
--> statement-breakpoint

-- Retention is the only way to remove events. It runs as its own role (SECURITY DEFINER, owned by
-- breakwater_audit_purger below) and writes its checkpoint in the same transaction as the delete, so no
-- purge goes unrecorded. The caller passes the checkpoint's signature: the database cannot make one.
DROP FUNCTION IF EXISTS audit_retention_purge(text, timestamptz);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_retention_purge(p_category text, p_cutoff timestamptz, p_through_id bigint, p_signature text)
RETURNS TABLE(removed bigint, last_hash text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_hash text; v_at timestamptz; v_count bigint;
BEGIN
  IF coalesce(p_signature, '') = '' THEN
    RAISE EXCEPTION 'audit retention needs a signed checkpoint' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  -- Serialise with appends to this category: they hold its head row until they commit.
  PERFORM 1 FROM public.audit_chain_heads h WHERE h.category = p_category FOR UPDATE;
  SELECT e.hash, e.occurred_at INTO v_hash, v_at FROM public.audit_events e WHERE e.id = p_through_id AND e.category = p_category;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'audit retention: event % is not in category %', p_through_id, p_category USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF v_at >= p_cutoff THEN
    RAISE EXCEPTION 'audit retention: event % is not older than the cutoff', p_through_id USING ERRCODE = 'invalid_parameter_value';
  END IF;
  DELETE FROM public.audit_events e WHERE e.category = p_category AND e.id <= p_through_id;
  GET DIAGNOSTICS v_count = ROW_COUNT;
  INSERT INTO public.audit_checkpoints (category, last_event_id, last_hash, removed_count, cutoff, signature)
  VALUES (p_category, p_through_id, v_hash, v_count::integer, p_cutoff, p_signature);
  RETURN QUERY SELECT v_count, v_hash;
END $$;
--> statement-breakpoint
-- Nobody but the schema's owner and (below) the retention role may call it.
REVOKE ALL ON FUNCTION audit_retention_purge(text, timestamptz, bigint, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION audit_retention_purge(text, timestamptz, bigint, text) TO CURRENT_USER;
--> statement-breakpoint

-- Append-only, with no session setting to switch it off: a delete passes only when it runs as the owner
-- of the retention function, which is what SECURITY DEFINER makes it inside that function.
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND (SELECT r.oid FROM pg_roles r WHERE r.rolname = current_user) =
     (SELECT p.proowner FROM pg_proc p WHERE p.oid = 'public.audit_retention_purge(text,timestamptz,bigint,text)'::regprocedure) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint

-- Roles (a Postgres deployment matter; harmless on the embedded database). The role running migrations
-- owns the schema. When it may create roles, three NOLOGIN roles are made and granted; login roles join them:
--   breakwater_app              the application: reads and writes rows, appends to the audit log, no DDL,
--                               no TRUNCATE, no UPDATE/DELETE of audit events, no retention
--   breakwater_audit_retention  the retention job: may call audit_retention_purge, nothing else that writes
--   breakwater_audit_purger     owns audit_retention_purge; nobody logs in as it. The schema's owner stays a
--                               member, so later migrations and restores may replace the function (the owner
--                               can rewrite anything anyway: that is what the keyed chain and the anchors are for)
-- Without the right to create roles this block does nothing, and the database runs with one role as before.
DO $$
DECLARE
  me text := current_user;
  me_super boolean := (SELECT rolsuper FROM pg_roles WHERE rolname = current_user);
  may_create boolean := (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user);
  purge regprocedure := 'audit_retention_purge(text,timestamptz,bigint,text)'::regprocedure;
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['breakwater_app', 'breakwater_audit_retention', 'breakwater_audit_purger'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      IF NOT may_create THEN
        RAISE NOTICE 'audit roles: % may not create roles; running without least-privilege roles', me;
        RETURN;
      END IF;
      BEGIN
        EXECUTE format('CREATE ROLE %I NOLOGIN', r);
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL; -- roles belong to the cluster: another database's migration created it at the same moment
      END;
    END IF;
  END LOOP;

  -- The application: rows, not structure. Tables added by later migrations get the same grants.
  GRANT USAGE ON SCHEMA public TO breakwater_app;
  GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO breakwater_app;
  GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO breakwater_app;
  ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO breakwater_app;
  ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO breakwater_app;
  -- The audit trail: append and read. Personal rows may be emptied (erasure), never deleted; heads move forward.
  REVOKE UPDATE, DELETE ON audit_events, audit_verifications FROM breakwater_app;
  REVOKE DELETE ON audit_event_personal, audit_chain_heads FROM breakwater_app;
  REVOKE INSERT, UPDATE, DELETE ON audit_checkpoints, audit_chain FROM breakwater_app;
  -- So the app can tell that migrations were applied without being able to apply them.
  IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'drizzle') THEN
    GRANT USAGE ON SCHEMA drizzle TO breakwater_app;
    GRANT SELECT ON ALL TABLES IN SCHEMA drizzle TO breakwater_app;
  END IF;

  -- The retention job reads what it removes and calls the function.
  GRANT USAGE ON SCHEMA public TO breakwater_audit_retention;
  GRANT SELECT ON audit_events, audit_checkpoints, audit_chain TO breakwater_audit_retention;
  GRANT EXECUTE ON FUNCTION audit_retention_purge(text, timestamptz, bigint, text) TO breakwater_audit_retention;

  -- What the function itself needs, as its owner.
  GRANT USAGE ON SCHEMA public TO breakwater_audit_purger;
  GRANT SELECT, DELETE ON audit_events TO breakwater_audit_purger;
  GRANT SELECT, UPDATE ON audit_chain_heads TO breakwater_audit_purger;
  GRANT INSERT ON audit_checkpoints TO breakwater_audit_purger;
  GRANT USAGE ON SEQUENCE audit_checkpoints_id_seq TO breakwater_audit_purger;
  IF NOT me_super AND NOT pg_has_role(me, 'breakwater_audit_purger', 'MEMBER') THEN
    EXECUTE format('GRANT breakwater_audit_purger TO %I', me);
  END IF;
  IF (SELECT proowner FROM pg_proc WHERE oid = purge) <> 'breakwater_audit_purger'::regrole THEN
    -- Changing an owner also needs the new owner's CREATE on the schema: held only for this step.
    GRANT CREATE ON SCHEMA public TO breakwater_audit_purger;
    ALTER FUNCTION audit_retention_purge(text, timestamptz, bigint, text) OWNER TO breakwater_audit_purger;
    REVOKE CREATE ON SCHEMA public FROM breakwater_audit_purger;
    -- The new owner took over the old one's grant; the schema's owner keeps the right to run it (one-role setups).
    EXECUTE format('GRANT EXECUTE ON FUNCTION audit_retention_purge(text, timestamptz, bigint, text) TO %I', me);
  END IF;
END $$;
