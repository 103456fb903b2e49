// Telegram module.
