-- Custom SQL migration file, put your code below! ---- Each channel's kind-specific columns move into its JSON config (jsonb_strip_nulls drops
-- the members that were NULL, so a webhook without a secret has no webhookSecret).
UPDATE "channels" SET "config" = jsonb_strip_nulls(jsonb_build_object('slackChannel', "slack_channel", 'webhookUrl', "webhook_url", 'webhookSecret', "webhook_secret"));
