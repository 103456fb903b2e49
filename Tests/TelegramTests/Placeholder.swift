import Testing

@Test func telegramPlaceholder() { #expect(Bool(true)) }
