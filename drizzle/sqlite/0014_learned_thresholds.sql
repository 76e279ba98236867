ALTER TABLE `evaluations` ADD `warning_threshold` real;--> statement-breakpoint
ALTER TABLE `evaluations` ADD `critical_threshold` real;--> statement-breakpoint
ALTER TABLE `monitors` ADD `auto_threshold` text;