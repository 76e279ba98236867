CREATE TABLE `api_keys` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`secret_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_secret_hash_unique` ON `api_keys` (`secret_hash`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`target` text,
	`details` text
);
--> statement-breakpoint
CREATE INDEX `audit_log_at` ON `audit_log` (`at`);--> statement-breakpoint
CREATE TABLE `models` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`task` text NOT NULL,
	`description` text,
	`positive_class` text,
	`decision_threshold` real,
	`features` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `models_name_unique` ON `models` (`name`);--> statement-breakpoint
CREATE TABLE `baseline_rows` (
	`id` integer PRIMARY KEY NOT NULL,
	`model_id` integer NOT NULL,
	`features` text NOT NULL,
	`score` real,
	`predicted_label` text,
	`value` real,
	`actual_label` text,
	`actual_value` real,
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `baseline_rows_model` ON `baseline_rows` (`model_id`);--> statement-breakpoint
CREATE TABLE `baselines` (
	`model_id` integer PRIMARY KEY NOT NULL,
	`row_count` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`profile` text NOT NULL,
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `events` (
	`id` integer PRIMARY KEY NOT NULL,
	`model_id` integer NOT NULL,
	`event_id` text NOT NULL,
	`ts` integer NOT NULL,
	`features` text NOT NULL,
	`score` real,
	`predicted_label` text,
	`value` real,
	`actual_label` text,
	`actual_value` real,
	`actual_at` integer,
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `events_model_ts` ON `events` (`model_id`,`ts`);--> statement-breakpoint
CREATE TABLE `pending_actuals` (
	`model_id` integer NOT NULL,
	`event_id` text NOT NULL,
	`actual_label` text,
	`actual_value` real,
	`received_at` integer NOT NULL,
	PRIMARY KEY(`model_id`, `event_id`),
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE cascade
);
