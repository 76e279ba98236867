CREATE TABLE `stats_hourly` (
	`model_id` integer NOT NULL,
	`hour` integer NOT NULL,
	`rev` integer NOT NULL,
	`data` blob NOT NULL,
	PRIMARY KEY(`model_id`, `hour`),
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE cascade
);
