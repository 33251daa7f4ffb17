"""Running the bot: polling, webhook, health, rate limiting, queued sends, posting the summary."""
