CREATE TABLE `stats_partial` (
	`id` integer PRIMARY KEY NOT NULL,
	`model_id` integer NOT NULL,
	`hour` integer NOT NULL,
	`data` blob NOT NULL,
	`hists` blob,
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `stats_partial_model_hour` ON `stats_partial` (`model_id`,`hour`);--> statement-breakpoint
CREATE TABLE `stats_rollup` (
	`model_id` integer NOT NULL,
	`level` integer NOT NULL,
	`start` integer NOT NULL,
	`rev` integer NOT NULL,
	`data` blob NOT NULL,
	`hists` blob,
	PRIMARY KEY(`model_id`, `level`, `start`),
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE cascade
);
