import Testing

@Test func corePlaceholder() { #expect(Bool(true)) }
