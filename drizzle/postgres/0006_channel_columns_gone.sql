ALTER TABLE "channels" DROP COLUMN "slack_channel";--> statement-breakpoint
ALTER TABLE "channels" DROP COLUMN "webhook_url";--> statement-breakpoint
ALTER TABLE "channels" DROP COLUMN "webhook_secret";