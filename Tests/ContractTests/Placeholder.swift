import Testing

@Test func contractPlaceholder() { #expect(Bool(true)) }
