import Testing

@Test func feedsPlaceholder() { #expect(Bool(true)) }
