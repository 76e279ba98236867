CREATE TABLE `model_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`model_id` integer NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`created_at` integer NOT NULL,
	`baseline_row_count` integer,
	`baseline_updated_at` integer,
	`baseline_profile` text,
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `model_versions_model_name` ON `model_versions` (`model_id`,`name`);--> statement-breakpoint
CREATE TABLE `segments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`model_id` integer NOT NULL,
	`name` text NOT NULL,
	`conditions` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `segments_model_name` ON `segments` (`model_id`,`name`);--> statement-breakpoint
CREATE TABLE `stats_slices` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`model_id` integer NOT NULL,
	`version_id` integer,
	`segment_id` integer,
	`profile` text,
	`backfill_total` integer DEFAULT 0 NOT NULL,
	`backfill_done` integer DEFAULT 0 NOT NULL,
	`ready_at` integer,
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`version_id`) REFERENCES `model_versions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`segment_id`) REFERENCES `segments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `stats_slices_model` ON `stats_slices` (`model_id`);--> statement-breakpoint
DROP INDEX `stats_partial_model_hour`;--> statement-breakpoint
ALTER TABLE `stats_partial` ADD `slice` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `stats_partial_model_hour` ON `stats_partial` (`model_id`,`slice`,`hour`);--> statement-breakpoint
ALTER TABLE `models` ADD `current_version_id` integer;--> statement-breakpoint
ALTER TABLE `baseline_rows` ADD `version_id` integer;--> statement-breakpoint
ALTER TABLE `baseline_rows` ADD `attributions` text;--> statement-breakpoint
ALTER TABLE `events` ADD `version_id` integer;--> statement-breakpoint
ALTER TABLE `events` ADD `attributions` text;--> statement-breakpoint
ALTER TABLE `monitors` ADD `version` text;--> statement-breakpoint
ALTER TABLE `monitors` ADD `segment` text;--> statement-breakpoint
ALTER TABLE `stats_hourly` ADD `slice` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `stats_rollup` ADD `slice` integer DEFAULT 0 NOT NULL;