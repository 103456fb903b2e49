// SQLite backend.
