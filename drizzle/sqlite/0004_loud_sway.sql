CREATE TABLE `slack_seen` (
	`hash` text PRIMARY KEY NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `slack_seen_expires_at` ON `slack_seen` (`expires_at`);