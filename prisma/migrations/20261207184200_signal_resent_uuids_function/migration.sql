-- The resend lookup of the ingest statement (src/signals/signals.repository.ts) as one function that first
-- takes the reporter's transaction-scoped advisory lock, then reads. A VOLATILE function takes a fresh
-- snapshot for each query it runs, so the read sees every batch of that reporter that committed before the
-- lock was granted, although the calling statement's own snapshot is older: the lock and the insert fit in
-- one statement. As two statements in one transaction (BEGIN, lock, insert, COMMIT) the ingest wrote half
-- as many signals per second on the shared machine (docs/scaling.md "Storage per signal"). The lock is
-- held until the calling statement commits; a batch without uuids takes none. Uses signal_resend_idx
-- (migration 20261207184000) over the partitions between since and until: planned for each call with
-- its values (a cached generic plan cannot leave out the other partitions at plan time, and it chose scans
-- that made the ingest several times slower as the day partition grew).

CREATE FUNCTION "signal_resent_uuids"(p_reporter text, p_uuids text[], p_since timestamptz, p_until timestamptz)
RETURNS SETOF text LANGUAGE plpgsql VOLATILE SET plan_cache_mode = force_custom_plan AS $$
BEGIN
  IF cardinality(p_uuids) = 0 THEN
    RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('signal-uuid:' || p_reporter));
  RETURN QUERY
    SELECT s.uuid FROM signal s
    WHERE hashtextextended(s.reporter || '/' || s.uuid, 0) = ANY(ARRAY(SELECT hashtextextended(p_reporter || '/' || u, 0) FROM unnest(p_uuids) AS u))
      AND s.uuid IS NOT NULL AND s.reporter = p_reporter AND s.uuid = ANY(p_uuids)
      AND s.received_at >= p_since AND s.received_at <= p_until;
END
$$;
