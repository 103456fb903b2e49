import Testing

@Test func endtoendPlaceholder() { #expect(Bool(true)) }
