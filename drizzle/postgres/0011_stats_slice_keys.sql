ALTER TABLE "stats_hourly" DROP CONSTRAINT "stats_hourly_model_id_hour_pk";--> statement-breakpoint
ALTER TABLE "stats_rollup" DROP CONSTRAINT "stats_rollup_model_id_level_start_pk";--> statement-breakpoint
ALTER TABLE "stats_hourly" ADD CONSTRAINT "stats_hourly_model_id_slice_hour_pk" PRIMARY KEY("model_id","slice","hour");--> statement-breakpoint
ALTER TABLE "stats_rollup" ADD CONSTRAINT "stats_rollup_model_id_slice_level_start_pk" PRIMARY KEY("model_id","slice","level","start");