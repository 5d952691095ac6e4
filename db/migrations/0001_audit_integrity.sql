-- Audit log integrity: hash chain per category, append-only, retention only through audit_retention_purge().

-- Canonical content of one event, hashed into its category's chain. Only pseudonymous fields live in audit_events.
-- PL/pgSQL rather than SQL: its plan is cached per session, where a SQL-language function called from
-- the insert trigger was planned again for every single-row insert (4x slower appends).
CREATE OR REPLACE FUNCTION audit_event_digest(e audit_events) RETURNS text LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN encode(sha256(convert_to(concat_ws('|',
    e.id::text,
    quote_nullable(e.category),
    ((extract(epoch FROM e.occurred_at) * 1000000)::bigint)::text,
    quote_nullable(e.actor_type::text),
    quote_nullable(e.actor_id),
    quote_nullable(e.impersonator_id),
    quote_nullable(e.action),
    quote_nullable(e.target_type),
    quote_nullable(e.target_id),
    quote_nullable(e.outcome::text),
    quote_nullable(e.metadata::text),
    quote_nullable(e.request_id),
    quote_nullable(e.prev_hash)
  ), 'UTF8')), 'hex');
END $$;
--> statement-breakpoint

-- Existing rows (from before the chain existed) are chained once, in id order, per category.
DO $$
DECLARE r record; head text;
BEGIN
  FOR r IN SELECT id, category FROM audit_events ORDER BY id LOOP
    SELECT hash INTO head FROM audit_events WHERE category = r.category AND id < r.id ORDER BY id DESC LIMIT 1;
    UPDATE audit_events SET prev_hash = head WHERE id = r.id;
    UPDATE audit_events e SET hash = audit_event_digest(e) WHERE e.id = r.id;
  END LOOP;
END $$;
--> statement-breakpoint

-- Appends are serialised per category by a transaction-scoped advisory lock; the id is drawn under
-- that lock, so id order is chain order within a category, however many writers run at once.
CREATE OR REPLACE FUNCTION audit_events_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE head text;
BEGIN
  PERFORM pg_advisory_xact_lock(724311010, hashtext(NEW.category));
  NEW.id := nextval('audit_events_id_seq'::regclass);
  SELECT hash INTO head FROM audit_events WHERE category = NEW.category ORDER BY id DESC LIMIT 1;
  IF head IS NULL THEN
    SELECT last_hash INTO head FROM audit_checkpoints WHERE category = NEW.category ORDER BY last_event_id DESC LIMIT 1;
  END IF;
  NEW.prev_hash := head;
  NEW.hash := audit_event_digest(NEW);
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_chain();
--> statement-breakpoint

-- History is never rewritten: UPDATE, DELETE and TRUNCATE fail, except deletes made by audit_retention_purge().
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('breakwater.audit_retention', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
--> statement-breakpoint

-- Retention: removes a category's oldest events up to the cutoff (a chain prefix) and returns the last
-- removed hash, from which the caller writes a signed checkpoint in the same transaction.
CREATE OR REPLACE FUNCTION audit_retention_purge(p_category text, p_cutoff timestamptz)
RETURNS TABLE(removed bigint, last_id bigint, last_hash text) LANGUAGE plpgsql AS $$
DECLARE v_last bigint; v_hash text; v_count bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(724311010, hashtext(p_category));
  SELECT max(e.id) INTO v_last FROM audit_events e WHERE e.category = p_category AND e.occurred_at < p_cutoff;
  IF v_last IS NULL THEN
    RETURN QUERY SELECT 0::bigint, NULL::bigint, NULL::text;
    RETURN;
  END IF;
  SELECT e.hash INTO v_hash FROM audit_events e WHERE e.id = v_last;
  PERFORM set_config('breakwater.audit_retention', 'on', true);
  DELETE FROM audit_events e WHERE e.category = p_category AND e.id <= v_last;
  GET DIAGNOSTICS v_count = ROW_COUNT;
  PERFORM set_config('breakwater.audit_retention', 'off', true);
  RETURN QUERY SELECT v_count, v_last, v_hash;
END $$;
