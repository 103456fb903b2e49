import Testing

@Test func pipelinePlaceholder() { #expect(Bool(true)) }
