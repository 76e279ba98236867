CREATE TABLE `claims` (
	`scope` text NOT NULL,
	`at` integer NOT NULL,
	`claimed_by` text NOT NULL,
	`lease_until` integer NOT NULL,
	`done_at` integer,
	PRIMARY KEY(`scope`, `at`)
);
--> statement-breakpoint
CREATE INDEX `claims_lease` ON `claims` (`lease_until`);--> statement-breakpoint
ALTER TABLE `deliveries` ADD `claimed_by` text;