-- Custom migration (`drizzle-kit generate --custom`): drizzle-kit cannot declare partitioning,
-- so 0000 created `events` as a plain (empty) table and this turns it into a partitioned one
-- with the same columns: LIST by model, each model's partition by RANGE of `ts` (one UTC day
-- a partition), so that retention and deleteModel drop whole partitions (docs/postgres.md).
-- Later drizzle-kit migrations of `events` (ALTER TABLE, CREATE INDEX) apply to every partition.
ALTER TABLE "events" RENAME TO "events_plain";
--> statement-breakpoint
DROP INDEX "events_model_ts";
--> statement-breakpoint
CREATE TABLE "events" (LIKE "events_plain" INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY LIST ("model_id");
--> statement-breakpoint
ALTER SEQUENCE "events_id_seq" OWNED BY "events"."id";
--> statement-breakpoint
DROP TABLE "events_plain";
--> statement-breakpoint
CREATE INDEX "events_model_ts" ON "events" USING btree ("model_id","ts");
--> statement-breakpoint
-- Creates (if missing) the partition of model p_model for the UTC day starting at p_day
-- (epoch ms), and the model's own partition above it; returns the day partition's name.
-- Replicas may ask for the same partition at once: a per-model advisory lock serialises the
-- creators, and after it pg_class is read with a fresh snapshot (to_regclass may answer from
-- a catalog cache that has not seen the other creator's commit yet). Call it outside the
-- ingest transaction: creating a partition locks its parent.
CREATE FUNCTION glassbox_event_partition(p_model integer, p_day bigint) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  model_part text := format('events_m%s', p_model);
  day_part text := format('events_m%s_d%s', p_model, to_char(to_timestamp(p_day / 1000.0) AT TIME ZONE 'UTC', 'YYYYMMDD'));
BEGIN
  IF p_day % 86400000 <> 0 THEN
    RAISE EXCEPTION 'glassbox_event_partition: % is not the start of a UTC day', p_day;
  END IF;
  IF to_regclass(day_part) IS NOT NULL THEN
    RETURN day_part;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('glassbox_event_partition'), p_model);
  IF NOT EXISTS (SELECT 1 FROM pg_class WHERE relname = model_part AND relnamespace = current_schema()::regnamespace) THEN
    EXECUTE format('CREATE TABLE %I PARTITION OF events FOR VALUES IN (%s) PARTITION BY RANGE (ts)', model_part, p_model);
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_class WHERE relname = day_part AND relnamespace = current_schema()::regnamespace) THEN
    BEGIN
      EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%s) TO (%s)', day_part, model_part, p_day, p_day + 86400000);
    EXCEPTION WHEN duplicate_table THEN
      NULL; -- made meanwhile by a creator the checks above could not see: the bench once met one
    END;
  END IF;
  RETURN day_part;
END $$;
