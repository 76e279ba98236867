CREATE TABLE `alert_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`alert_id` integer NOT NULL,
	`at` integer NOT NULL,
	`kind` text NOT NULL,
	`actor` text,
	`note` text,
	FOREIGN KEY (`alert_id`) REFERENCES `alerts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `alert_events_alert` ON `alert_events` (`alert_id`);--> statement-breakpoint
CREATE TABLE `alerts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`monitor_id` integer NOT NULL,
	`model_id` integer NOT NULL,
	`severity` text NOT NULL,
	`status` text NOT NULL,
	`value` real,
	`threshold` real,
	`sample_size` integer,
	`message` text NOT NULL,
	`opened_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`resolved_at` integer,
	`acknowledged_by` text,
	`snoozed_until` integer,
	`last_notified_at` integer NOT NULL,
	FOREIGN KEY (`monitor_id`) REFERENCES `monitors`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alerts_one_open` ON `alerts` (`monitor_id`) WHERE status <> 'RESOLVED';--> statement-breakpoint
CREATE INDEX `alerts_model_status` ON `alerts` (`model_id`,`status`);--> statement-breakpoint
CREATE INDEX `alerts_snoozed` ON `alerts` (`status`,`snoozed_until`);--> statement-breakpoint
CREATE TABLE `channels` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`slack_channel` text,
	`webhook_url` text,
	`webhook_secret` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `channels_name_unique` ON `channels` (`name`);--> statement-breakpoint
CREATE TABLE `deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`alert_id` integer,
	`channel_id` integer NOT NULL,
	`type` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`next_attempt_at` integer,
	`claimed_at` integer,
	`delivered_at` integer,
	`ref_channel` text,
	`ref_ts` text,
	FOREIGN KEY (`alert_id`) REFERENCES `alerts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`channel_id`) REFERENCES `channels`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deliveries_idempotency_key_unique` ON `deliveries` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `deliveries_due` ON `deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `deliveries_alert` ON `deliveries` (`alert_id`,`channel_id`);--> statement-breakpoint
CREATE TABLE `evaluations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`monitor_id` integer NOT NULL,
	`at` integer NOT NULL,
	`from` integer NOT NULL,
	`to` integer NOT NULL,
	`value` real,
	`sample_size` integer NOT NULL,
	`severity` text NOT NULL,
	`recorded_at` integer NOT NULL,
	FOREIGN KEY (`monitor_id`) REFERENCES `monitors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `evaluations_monitor_at` ON `evaluations` (`monitor_id`,`at`);--> statement-breakpoint
CREATE TABLE `monitor_channels` (
	`monitor_id` integer NOT NULL,
	`channel_id` integer NOT NULL,
	PRIMARY KEY(`monitor_id`, `channel_id`),
	FOREIGN KEY (`monitor_id`) REFERENCES `monitors`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`channel_id`) REFERENCES `channels`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `monitor_channels_channel` ON `monitor_channels` (`channel_id`);--> statement-breakpoint
CREATE TABLE `monitors` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`model_id` integer NOT NULL,
	`name` text NOT NULL,
	`metric` text NOT NULL,
	`feature` text,
	`attribute` text,
	`window` text NOT NULL,
	`window_ms` integer NOT NULL,
	`schedule` text NOT NULL,
	`comparator` text NOT NULL,
	`warning_threshold` real,
	`critical_threshold` real,
	`for_evaluations` integer NOT NULL,
	`min_sample_size` integer NOT NULL,
	`repeat_interval` text NOT NULL,
	`repeat_interval_ms` integer NOT NULL,
	`enabled` integer NOT NULL,
	`streak` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `monitors_model_name` ON `monitors` (`model_id`,`name`);