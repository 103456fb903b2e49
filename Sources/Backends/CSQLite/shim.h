#ifndef NEWSBOT_CSQLITE_SHIM_H
#define NEWSBOT_CSQLITE_SHIM_H
#include <sqlite3.h>

/* SQLITE_TRANSIENT is a cast macro Swift cannot import: bind copies through this helper. */
static inline int newsbot_sqlite3_bind_text_transient(sqlite3_stmt *stmt, int index, const char *text, int length) {
    return sqlite3_bind_text(stmt, index, text, length, SQLITE_TRANSIENT);
}
static inline int newsbot_sqlite3_bind_blob_transient(sqlite3_stmt *stmt, int index, const void *data, int length) {
    return sqlite3_bind_blob(stmt, index, data, length, SQLITE_TRANSIENT);
}
/* sqlite3_config is variadic, which Swift cannot call. Turning memory statistics off removes a
   global mutex taken on every SQLite allocation; it must run before SQLite initialises. */
static inline int newsbot_sqlite3_disable_memstatus(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
#endif
