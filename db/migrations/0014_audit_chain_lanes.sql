-- Lanes: each audit category is several independent chains, so appends in concurrent transactions no longer wait
-- for each other's commit (lib/audit/append.ts). Every event, head and checkpoint written so far is lane 0, whose
-- hash input is unchanged: the existing chains verify as they did. The app creates the other lanes' heads on first use.
ALTER TABLE "audit_events" ADD COLUMN "lane" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_chain_heads" ADD COLUMN "lane" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_checkpoints" ADD COLUMN "lane" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_chain_heads" DROP CONSTRAINT "audit_chain_heads_pkey";--> statement-breakpoint
ALTER TABLE "audit_chain_heads" ADD CONSTRAINT "audit_chain_heads_category_lane_pk" PRIMARY KEY("category","lane");--> statement-breakpoint
CREATE INDEX "audit_events_lane_idx" ON "audit_events" USING btree ("category","lane","id");--> statement-breakpoint

-- Retention removes a prefix of one lane's chain: the lane of the event it removes through. Same signature, owner
-- and grants as before (replacing it keeps them); the checkpoint records the lane.
CREATE OR REPLACE FUNCTION audit_retention_purge(p_category text, p_cutoff timestamptz, p_through_id bigint, p_signature text)
RETURNS TABLE(removed bigint, last_hash text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_hash text; v_at timestamptz; v_lane smallint; v_count bigint;
BEGIN
  IF coalesce(p_signature, '') = '' THEN
    RAISE EXCEPTION 'audit retention needs a signed checkpoint' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT e.lane INTO v_lane FROM public.audit_events e WHERE e.id = p_through_id AND e.category = p_category;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'audit retention: event % is not in category %', p_through_id, p_category USING ERRCODE = 'invalid_parameter_value';
  END IF;
  -- Serialise with appends to this lane: they hold its head row until they commit.
  PERFORM 1 FROM public.audit_chain_heads h WHERE h.category = p_category AND h.lane = v_lane FOR UPDATE;
  SELECT e.hash, e.occurred_at INTO v_hash, v_at FROM public.audit_events e WHERE e.id = p_through_id;
  IF v_at >= p_cutoff THEN
    RAISE EXCEPTION 'audit retention: event % is not older than the cutoff', p_through_id USING ERRCODE = 'invalid_parameter_value';
  END IF;
  DELETE FROM public.audit_events e WHERE e.category = p_category AND e.lane = v_lane AND e.id <= p_through_id;
  GET DIAGNOSTICS v_count = ROW_COUNT;
  INSERT INTO public.audit_checkpoints (category, lane, last_event_id, last_hash, removed_count, cutoff, signature)
  VALUES (p_category, v_lane, p_through_id, v_hash, v_count::integer, p_cutoff, p_signature);
  RETURN QUERY SELECT v_count, v_hash;
END $$;
