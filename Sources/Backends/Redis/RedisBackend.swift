// Redis backend.
