import Core
import Foundation
@testable import SQLiteBackend
import Testing

/// The SQLite wrapper itself: URLs, pragmas, migrations, transactions, binding, safe errors.
@Suite("SQLite database")
struct SQLiteDatabaseTests {
    private func temporaryPath(_ name: String = "db.sqlite") -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("newsbot-sqlite-\(UUID().uuidString)", isDirectory: true)
            .appendingPathComponent("nested", isDirectory: true)
            .appendingPathComponent(name).path
    }

    private func removeDirectory(of path: String) {
        try? FileManager.default.removeItem(at: URL(fileURLWithPath: path).deletingLastPathComponent().deletingLastPathComponent())
    }

    @Test func databaseURLsParse() {
        #expect(SQLiteLocation(url: "sqlite:var/newsbot.sqlite") == .file("var/newsbot.sqlite"))
        #expect(SQLiteLocation(url: "sqlite:/srv/newsbot/db.sqlite") == .file("/srv/newsbot/db.sqlite"))
        #expect(SQLiteLocation(url: "sqlite:///srv/db.sqlite") == .file("/srv/db.sqlite"))
        #expect(SQLiteLocation(url: "sqlite::memory:") == .memory)
        #expect(SQLiteLocation(url: "sqlite:") == nil)
        #expect(SQLiteLocation(url: "postgres://user:secret@localhost/newsbot") == nil)
        #expect(SQLiteLocation.file("var/x.sqlite").description == "sqlite:var/x.sqlite")
    }

    @Test func openCreatesDirectoriesSetsPragmasAndMigrates() async throws {
        let path = temporaryPath()
        defer { removeDirectory(of: path) }
        let database = try await SQLiteDatabase.open(url: "sqlite:\(path)")
        #expect(FileManager.default.fileExists(atPath: path))
        let pragmas = try await database.perform { connection in
            (try connection.first("PRAGMA journal_mode") { $0.text(0) },
             try connection.first("PRAGMA foreign_keys") { $0.int(0) },
             try connection.first("PRAGMA synchronous") { $0.int(0) })
        }
        #expect(pragmas.0 == "wal")
        #expect(pragmas.1 == 1)
        #expect(pragmas.2 == 1, "synchronous = NORMAL")
        #expect(try await database.appliedMigrations() == SQLiteSchema.migrations.map(\.version))
        // Idempotent: nothing left to apply, now or after reopening.
        #expect(try await database.migrate() == [])
        await database.close()
        let reopened = try await SQLiteDatabase.open(.file(path))
        #expect(try await reopened.migrate() == [])
        #expect(try await reopened.appliedMigrations() == SQLiteSchema.migrations.map(\.version))
    }

    @Test func manyHandlesOpeningOneNewFileAtOnceMigrateOnce() async throws {
        let path = temporaryPath()
        defer { removeDirectory(of: path) }
        let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
            for _ in 0..<6 {
                group.addTask {
                    let database = try await SQLiteDatabase.open(.file(path), configuration: .init(migrate: false))
                    return try await database.migrate()
                }
            }
            return try await group.reduce(into: [Int]()) { $0 += $1 }
        }
        #expect(applied.sorted() == SQLiteSchema.migrations.map(\.version))
        let database = try await SQLiteDatabase.open(.file(path))
        let rows = try await database.perform { connection in
            try connection.first("SELECT count(*) FROM schema_migrations") { $0.int(0) }
        }
        #expect(rows == SQLiteSchema.migrations.count)
    }

    @Test func aMigrationThatFailsLeavesNothingBehind() async throws {
        let database = try await SQLiteDatabase.open(.memory, configuration: .init(migrate: false))
        let broken = [
            SQLiteMigration(version: 1, name: "ok", sql: "CREATE TABLE a (x INTEGER)"),
            SQLiteMigration(version: 2, name: "broken", sql: "CREATE TABLE b (x INTEGER); INSERT INTO missing VALUES (1)"),
        ]
        await #expect(throws: SQLiteError.self) { try await database.migrate(broken) }
        #expect(try await database.appliedMigrations() == [])
        let tables = try await database.perform { connection in
            try connection.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('a', 'b')") { $0.text(0) }
        }
        #expect(tables.isEmpty)
    }

    @Test func errorsNeverPrintSQL() async throws {
        let database = try await SQLiteDatabase.open(.memory)
        do {
            try await database.perform { connection in
                try connection.run("SELECT secret_column FROM table_with_a_password WHERE token = 'hunter2'")
            }
            Issue.record("expected an error")
        } catch let error as SQLiteError {
            #expect(error.primaryCode == 1)
            #expect(!error.description.contains("table_with_a_password"))
            #expect(!error.description.contains("hunter2"))
            #expect(!error.description.contains("SELECT"))
            #expect(error.debugDescription.contains("table_with_a_password"), "details stay available for debugging")
        }
    }

    @Test func writeRollsBackWhenTheBodyThrows() async throws {
        struct Boom: Error {}
        let database = try await SQLiteDatabase.open(.memory)
        try await database.perform { try $0.execute("CREATE TABLE t (x INTEGER)") }
        await #expect(throws: Boom.self) {
            try await database.write { connection in
                try connection.run("INSERT INTO t VALUES (1)")
                throw Boom()
            }
        }
        try await database.write { try $0.run("INSERT INTO t VALUES (2)") }
        let values = try await database.read { connection in try connection.query("SELECT x FROM t") { $0.int(0) } }
        #expect(values == [2])
    }

    @Test func concurrentWritesCommitTogetherButFailAlone() async throws {
        struct Refused: Error, Equatable { let value: Int }
        let path = temporaryPath()
        defer { removeDirectory(of: path) }
        let database = try await SQLiteDatabase.open(.file(path))
        try await database.write { try $0.execute("CREATE TABLE t (x INTEGER PRIMARY KEY)") }
        let outcomes = await withTaskGroup(of: (Int, Result<Int, any Error>).self) { group in
            for value in 0..<300 {
                group.addTask {
                    do {
                        let doubled = try await database.write { connection in
                            try connection.run("INSERT INTO t VALUES (?)", value)
                            if value.isMultiple(of: 3) { throw Refused(value: value) }
                            return value * 2
                        }
                        return (value, .success(doubled))
                    } catch {
                        return (value, .failure(error))
                    }
                }
            }
            return await group.reduce(into: [Int: Result<Int, any Error>]()) { $0[$1.0] = $1.1 }
        }
        for (value, outcome) in outcomes {
            switch outcome {
            case .success(let doubled): #expect(!value.isMultiple(of: 3) && doubled == value * 2)
            case .failure(let error): #expect((error as? Refused) == Refused(value: value))
            }
        }
        // A write that returned is visible to the reader connection at once.
        let stored = try await database.read { connection in try connection.query("SELECT x FROM t ORDER BY x") { $0.int(0) } }
        #expect(stored == (0..<300).filter { !$0.isMultiple(of: 3) })
    }

    @Test func theWALIsCheckpointedInTheBackground() async throws {
        let path = temporaryPath()
        defer { removeDirectory(of: path) }
        let database = try await SQLiteDatabase.open(.file(path), configuration: .init(checkpointPages: 16))
        func size(_ file: String) -> Int { ((try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int) ?? 0 }
        let before = size(path)
        try await database.write { connection in
            try connection.execute("CREATE TABLE t (x BLOB)")
            for _ in 0..<200 { try connection.run("INSERT INTO t VALUES (?)", Data(repeating: 7, count: 4000)) }
        }
        // Checkpointing copies the rows from the WAL into the database file while it stays open.
        let deadline = ContinuousClock.now + .seconds(5)
        while size(path) < before + 200 * 4000, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(size(path) >= before + 200 * 4000)
    }

    @Test func bindingKeepsEmptyValuesApartFromNull() async throws {
        let database = try await SQLiteDatabase.open(.memory)
        let rows = try await database.perform { connection in
            try connection.execute("CREATE TABLE t (s TEXT, b BLOB, d REAL)")
            let date = Date(timeIntervalSince1970: 1_795_000_000.25)
            try connection.run("INSERT INTO t VALUES (?, ?, ?)", "", Data(), date)
            try connection.run("INSERT INTO t VALUES (?, ?, ?)", "héllo ✓ \u{0}x", Data([0, 1, 2]), Optional<Date>.none)
            return try connection.query("SELECT s, s IS NULL, b, b IS NULL, d FROM t ORDER BY rowid") { row in
                (row.text(0), row.int(1), row.blob(2), row.int(3), row.optionalDate(4))
            }
        }
        #expect(rows[0].0 == "" && rows[0].1 == 0 && rows[0].2 == Data() && rows[0].3 == 0)
        #expect(rows[0].4 == Date(timeIntervalSince1970: 1_795_000_000.25))
        #expect(rows[1].0 == "héllo ✓ \u{0}x" && rows[1].2 == Data([0, 1, 2]) && rows[1].4 == nil)
    }

    @Test func aStatementCanBeUsedInsideItself() async throws {
        let database = try await SQLiteDatabase.open(.memory)
        let pairs = try await database.perform { connection in
            try connection.execute("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2)")
            return try connection.query("SELECT x FROM t ORDER BY x") { row in
                let x = row.int(0)
                // The same SQL again while the outer statement is stepping.
                let inner = try connection.query("SELECT x FROM t ORDER BY x") { $0.int(0) }
                return (x, inner)
            }
        }
        #expect(pairs.map(\.0) == [1, 2])
        #expect(pairs.allSatisfy { $0.1 == [1, 2] })
    }

    @Test(arguments: [
        [], [""], ["a"], ["", ""], ["python", "machine learning"], ["back\\slash", "new\nline", "\\n literal"],
        ["ends with cr\r", "next"], ["emoji 🦊", "ünïcödé"],
    ])
    func listCodecRoundTrips(_ values: [String]) {
        #expect(SQLiteListCodec.decode(SQLiteListCodec.encode(values)) == values)
    }
}
