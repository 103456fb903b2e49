// Postgres backend.
