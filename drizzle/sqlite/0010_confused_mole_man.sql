CREATE TABLE `stats_uncovered` (
	`id` integer PRIMARY KEY NOT NULL,
	`model_id` integer NOT NULL,
	`first_id` integer NOT NULL,
	`last_id` integer NOT NULL,
	`owner` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE cascade
);
