// TelegramSim module.
