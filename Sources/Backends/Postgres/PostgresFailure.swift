import Core
import PostgresNIO

/// Classifies PostgresNIO errors and turns them into `NewsbotError`s that are safe to log:
/// the error code, SQLSTATE and the server's one-line message; never the SQL, its bound values,
/// the server's `DETAIL` (it can quote row data) or a password.
enum PostgresFailure {
    /// True when the error means the server (not the statement) is the problem: refused or lost
    /// connections, a server shutting down or still starting, a pool that gave up. A replica that
    /// fails this way is marked unreachable.
    static func isConnectionFailure(_ error: any Error) -> Bool {
        let error = unwrap(error)
        if let error = error as? NewsbotError { return error.code == .timeout || error.code == .unavailable }
        if let error = error as? PSQLError {
            switch error.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown,
                 .poolClosed, .sslUnsupported, .failedToAddSSLHandler:
                return true
            case .server:
                let state = error.serverInfo?[.sqlState] ?? ""
                // 08: connection exception; 57P01-57P03: admin shutdown, crash shutdown, cannot connect now;
                // 53300: too many connections.
                return state.hasPrefix("08") || ["57P01", "57P02", "57P03", "53300"].contains(state)
            default:
                return false
            }
        }
        if error is PostgresDecodingError { return false }
        // Pool errors (circuit breaker tripped) and NIO channel errors carry no SQL state.
        return true
    }

    /// `PostgresTransactionError` wraps what actually failed.
    static func unwrap(_ error: any Error) -> any Error {
        if let transaction = error as? PostgresTransactionError {
            return transaction.closureError ?? transaction.beginError ?? transaction.commitError ?? error
        }
        return error
    }

    /// A short, redacted account of the failure.
    static func summary(_ error: any Error) -> String {
        let error = unwrap(error)
        if let error = error as? NewsbotError { return error.description }
        if let error = error as? PSQLError {
            var text = "\(error.code)"
            if let state = error.serverInfo?[.sqlState] { text += " \(state)" }
            if let message = error.serverInfo?[.message] { text += ": \(message)" }
            // 42P01 undefined table, 42883 undefined function: a build newer than the schema.
            if let state = error.serverInfo?[.sqlState], state == "42P01" || state == "42883" {
                text += " (the database schema is older than this build: run `newsbot migrate`)"
            }
            return Redaction.redact(text)
        }
        if let error = error as? PostgresDecodingError {
            return "cannot decode column \(error.columnName) as \(error.targetType)"
        }
        return Redaction.redact(String(describing: type(of: error)))
    }

    /// Wraps `error` for the caller; cancellation and `NewsbotError`s pass through unchanged.
    static func wrap(_ error: any Error, operation: String, file: String = #fileID, line: Int = #line) -> any Error {
        let inner = unwrap(error)
        if inner is CancellationError || inner is NewsbotError { return inner }
        let code: NewsbotError.Code = isConnectionFailure(inner) ? .unavailable : .storage
        return NewsbotError(code, "postgres \(operation): \(summary(inner))", underlying: inner, file: file, line: line)
    }
}
