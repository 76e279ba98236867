DROP INDEX `events_model_ts`;--> statement-breakpoint
CREATE INDEX `events_model_hour` ON `events` (`model_id`,"ts" / 3600000);