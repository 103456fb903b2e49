// Feeds module.
