PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_stats_hourly` (
	`model_id` integer NOT NULL,
	`slice` integer DEFAULT 0 NOT NULL,
	`hour` integer NOT NULL,
	`rev` integer NOT NULL,
	`data` blob NOT NULL,
	`hists` blob,
	PRIMARY KEY(`model_id`, `slice`, `hour`),
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_stats_hourly`("model_id", "slice", "hour", "rev", "data", "hists") SELECT "model_id", "slice", "hour", "rev", "data", "hists" FROM `stats_hourly`;--> statement-breakpoint
DROP TABLE `stats_hourly`;--> statement-breakpoint
ALTER TABLE `__new_stats_hourly` RENAME TO `stats_hourly`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE TABLE `__new_stats_rollup` (
	`model_id` integer NOT NULL,
	`slice` integer DEFAULT 0 NOT NULL,
	`level` integer NOT NULL,
	`start` integer NOT NULL,
	`rev` integer NOT NULL,
	`data` blob NOT NULL,
	`hists` blob,
	PRIMARY KEY(`model_id`, `slice`, `level`, `start`),
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_stats_rollup`("model_id", "slice", "level", "start", "rev", "data", "hists") SELECT "model_id", "slice", "level", "start", "rev", "data", "hists" FROM `stats_rollup`;--> statement-breakpoint
DROP TABLE `stats_rollup`;--> statement-breakpoint
ALTER TABLE `__new_stats_rollup` RENAME TO `stats_rollup`;