ALTER TABLE "evaluations" ADD COLUMN "warning_threshold" double precision;--> statement-breakpoint
ALTER TABLE "evaluations" ADD COLUMN "critical_threshold" double precision;--> statement-breakpoint
ALTER TABLE "monitors" ADD COLUMN "auto_threshold" text;