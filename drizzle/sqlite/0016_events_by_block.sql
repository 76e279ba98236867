DROP INDEX `events_model_hour`;--> statement-breakpoint
CREATE INDEX `events_model_block` ON `events` (`model_id`,"ts" / 10800000);