ALTER TABLE "audit_log" ALTER COLUMN "details" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "models" ALTER COLUMN "features" SET DATA TYPE json;