CREATE TABLE `purged_events` (
	`model_id` integer NOT NULL,
	`event_hash` integer NOT NULL,
	`purged_at` integer NOT NULL,
	PRIMARY KEY(`model_id`, `event_hash`),
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `purged_events_model_at` ON `purged_events` (`model_id`,`purged_at`);--> statement-breakpoint
ALTER TABLE `models` ADD `retention_days` integer;--> statement-breakpoint
ALTER TABLE `models` ADD `purged_before` integer;--> statement-breakpoint
ALTER TABLE `models` ADD `purged_newest` integer;