-- Custom SQL migration file, put your code below! ---- Each channel's kind-specific columns move into its JSON config (json_patch drops the
-- members that were NULL, so a webhook without a secret has no webhookSecret).
UPDATE `channels` SET `config` = json_patch('{}', json_object('slackChannel', `slack_channel`, 'webhookUrl', `webhook_url`, 'webhookSecret', `webhook_secret`));
