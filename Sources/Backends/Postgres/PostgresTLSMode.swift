/// How a connection uses TLS, named after libpq's `sslmode` so `DATABASE_URL`s written for
/// psql work unchanged.
public enum PostgresTLSMode: String, Sendable, Hashable, CaseIterable {
    /// Plain TCP (`sslmode=disable`, loopback and private networks).
    case disable
    /// TLS when the server offers it, without verifying the certificate (`allow`, `prefer`: libpq's default).
    case prefer
    /// TLS required, certificate not verified (`require`).
    case require
    /// TLS required, certificate chain verified but not the host name (`verify-ca`).
    case verifyCA = "verify-ca"
    /// TLS required, chain and host name verified (`verify-full`).
    case verifyFull = "verify-full"

    /// Parses an `sslmode` value; `allow` is treated as `prefer`.
    public init?(sslmode: String) {
        let value = sslmode.lowercased()
        if value == "allow" { self = .prefer; return }
        self.init(rawValue: value)
    }
}
