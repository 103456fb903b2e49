import Foundation
import Testing

/// Every suite that needs the PostgreSQL servers of scripts/test nests in here: serialized,
/// because some stop the shared replica or pause its replay, and skipped with a reason when the
/// servers are not there.
@Suite("Postgres servers", .serialized,
       .disabled(if: ProcessInfo.processInfo.environment["NEWSBOT_TEST_DATABASE_URL"] == nil,
                 "NEWSBOT_TEST_DATABASE_URL is not set"))
struct PostgresServerTests {}
