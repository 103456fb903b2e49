/// The embedded database's schema as ordered migrations.
///
/// Times are `REAL` seconds since 1970. Indexes follow the hot queries: due subscribers by
/// (slot, id), schedule entries by (zone, slot), run progress counted from covering indexes, jobs
/// taken by (queue, visible_at) in push order.
public enum SQLiteSchema {
    public static let migrations: [SQLiteMigration] = [
        SQLiteMigration(version: 1, name: "subscribers", sql: """
            CREATE TABLE subscribers (
                id INTEGER PRIMARY KEY,
                chat_id INTEGER NOT NULL,
                language TEXT NOT NULL,
                time_zone TEXT,
                status TEXT NOT NULL,
                slots TEXT NOT NULL,
                topics TEXT NOT NULL
            );
            -- One row per (slot, subscriber), with the zone and status copied in, so due subscribers
            -- and the scheduler's (zone, slot) pairs come from an index alone.
            CREATE TABLE subscriber_slots (
                slot INTEGER NOT NULL,
                subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
                time_zone TEXT NOT NULL,
                active INTEGER NOT NULL,
                PRIMARY KEY (slot, subscriber_id)
            ) WITHOUT ROWID;
            CREATE INDEX subscriber_slots_subscriber ON subscriber_slots (subscriber_id);
            CREATE INDEX subscriber_slots_schedule ON subscriber_slots (active, time_zone, slot);
            """),
        SQLiteMigration(version: 2, name: "slot runs and delivery ledger", sql: """
            CREATE TABLE slot_runs (
                id INTEGER PRIMARY KEY,
                pipeline TEXT NOT NULL,
                slot INTEGER NOT NULL,
                local_date TEXT NOT NULL,
                created_at REAL NOT NULL,
                updated_at REAL NOT NULL,
                completed_at REAL,
                UNIQUE (pipeline, slot, local_date)
            );
            CREATE INDEX slot_runs_recent ON slot_runs (created_at);
            -- status: pending | rendered | skipped; reason is '' unless skipped.
            CREATE TABLE run_users (
                run_id INTEGER NOT NULL REFERENCES slot_runs (id) ON DELETE CASCADE,
                user_id INTEGER NOT NULL,
                status TEXT NOT NULL,
                parts INTEGER NOT NULL DEFAULT 0,
                reason TEXT NOT NULL DEFAULT '',
                PRIMARY KEY (run_id, user_id)
            ) WITHOUT ROWID;
            CREATE INDEX run_users_progress ON run_users (run_id, status, reason, user_id);
            -- state: 0 pending, 1 delivered, 2 failed. The unique key is the delivery idempotency key.
            CREATE TABLE digest_messages (
                id INTEGER PRIMARY KEY,
                user_id INTEGER NOT NULL,
                slot INTEGER NOT NULL,
                local_date TEXT NOT NULL,
                part INTEGER NOT NULL,
                run_id INTEGER NOT NULL REFERENCES slot_runs (id) ON DELETE CASCADE,
                chat_id INTEGER NOT NULL,
                parts INTEGER NOT NULL,
                text TEXT NOT NULL,
                urls TEXT NOT NULL,
                state INTEGER NOT NULL DEFAULT 0,
                delivered_at REAL,
                failure TEXT,
                UNIQUE (user_id, slot, local_date, part)
            );
            CREATE INDEX digest_messages_run ON digest_messages (run_id, state, user_id, part);
            CREATE INDEX digest_messages_delivered ON digest_messages (user_id, delivered_at)
                WHERE delivered_at IS NOT NULL;
            """),
        SQLiteMigration(version: 3, name: "conversation states", sql: """
            -- Rows are never deleted (an expired or cleared state keeps its version), so versions
            -- stay monotonic per chat.
            CREATE TABLE conversation_states (
                chat_id INTEGER PRIMARY KEY,
                version INTEGER NOT NULL,
                state BLOB NOT NULL,
                expires_at REAL NOT NULL
            );
            """),
        SQLiteMigration(version: 4, name: "job queue", sql: """
            -- A leased job has lease_owner/lease_token set and visible_at = the lease's end, so an
            -- expired lease makes it visible again without any sweeper.
            CREATE TABLE jobs (
                seq INTEGER PRIMARY KEY,
                id TEXT NOT NULL,
                queue TEXT NOT NULL,
                payload BLOB NOT NULL,
                attempt INTEGER NOT NULL DEFAULT 0,
                enqueued_at REAL NOT NULL,
                visible_at REAL NOT NULL,
                lease_owner TEXT,
                lease_token INTEGER,
                leased_at REAL
            );
            CREATE INDEX jobs_visible ON jobs (queue, visible_at);
            CREATE INDEX jobs_leased ON jobs (lease_owner) WHERE lease_owner IS NOT NULL;
            CREATE TABLE dead_jobs (
                seq INTEGER PRIMARY KEY,
                queue TEXT NOT NULL,
                id TEXT NOT NULL,
                payload BLOB NOT NULL,
                attempt INTEGER NOT NULL,
                reason TEXT NOT NULL,
                failed_at REAL NOT NULL
            );
            CREATE INDEX dead_jobs_queue ON dead_jobs (queue, seq);
            -- Queue instances (one per process) and where they run, to tell a crashed consumer's
            -- leases from a live one's.
            CREATE TABLE queue_consumers (
                owner TEXT PRIMARY KEY,
                host TEXT NOT NULL,
                pid INTEGER NOT NULL,
                process_start INTEGER NOT NULL,
                started_at REAL NOT NULL
            );
            """),
        SQLiteMigration(version: 5, name: "news cache, locks, update dedupe", sql: """
            CREATE TABLE news_cache (
                key TEXT PRIMARY KEY,
                value BLOB NOT NULL,
                expires_at REAL NOT NULL
            );
            CREATE TABLE news_locks (
                key TEXT PRIMARY KEY,
                owner TEXT NOT NULL,
                expires_at REAL NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE seen_updates (
                update_id INTEGER PRIMARY KEY,
                expires_at REAL NOT NULL
            );
            CREATE INDEX seen_updates_expiry ON seen_updates (expires_at);
            CREATE TABLE leader_locks (
                name TEXT PRIMARY KEY,
                owner TEXT NOT NULL,
                expires_at REAL NOT NULL
            ) WITHOUT ROWID;
            """),
        SQLiteMigration(version: 6, name: "news cache expiry index", sql: """
            -- Pruning reads expires_at only; without the index it would read every cached value.
            CREATE INDEX news_cache_expiry ON news_cache (expires_at);
            """),
        SQLiteMigration(version: 7, name: "drop update dedupe", sql: """
            -- The chat's stored lastUpdateID is the record of applied updates (ConversationStateStore.claim).
            DROP INDEX seen_updates_expiry;
            DROP TABLE seen_updates;
            """),
    ]
}
