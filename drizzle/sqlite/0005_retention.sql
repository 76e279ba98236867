CREATE TABLE `purged_events` (
	`key` integer PRIMARY KEY NOT NULL,
	`model_id` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `models` ADD `retention_days` integer;--> statement-breakpoint
ALTER TABLE `models` ADD `purged_before` integer;--> statement-breakpoint
ALTER TABLE `models` ADD `purged_newest` integer;