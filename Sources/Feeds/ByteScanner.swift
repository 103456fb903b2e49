/// A cursor over ASCII bytes for the date scanners.
struct ByteScanner {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index >= bytes.count }
    var rest: ArraySlice<UInt8> { bytes[index...] }

    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard !atEnd, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    mutating func skipSpaces() {
        while !atEnd, bytes[index] == 32 { index += 1 }
    }

    mutating func skipToEnd() { index = bytes.count }

    /// A run of decimal digits whose length is within `digits`.
    mutating func number(digits: ClosedRange<Int>) -> Int64? {
        var value: Int64 = 0, count = 0
        while !atEnd, FeedDate.isDigit(bytes[index]), count < digits.upperBound {
            value = value * 10 + Int64(bytes[index] - 48)
            index += 1
            count += 1
        }
        return digits.contains(count) && (atEnd || !FeedDate.isDigit(bytes[index])) ? value : nil
    }

    /// The digits after a decimal separator, as a fraction of a second.
    mutating func fraction() -> Double? {
        var value = 0.0, scale = 0.1, count = 0
        while !atEnd, FeedDate.isDigit(bytes[index]) {
            value += Double(bytes[index] - 48) * scale
            scale /= 10
            index += 1
            count += 1
        }
        return count > 0 ? value : nil
    }
}
