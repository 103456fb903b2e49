/// PostgreSQL array literals (`{"a","b"}`) for per-row arrays inside bulk statements.
///
/// Bulk writes bind one array per column and `unnest` them; a column that is itself an array
/// (a subscriber's topics, a message's URLs) travels as one literal per row, bound as a
/// parameter like any text and cast by the server (`::text[]`). Regrouping flat (owner, value)
/// arrays with `GROUP BY` instead cost more than the insert itself, and its row estimates led
/// the planner to nested loops.
enum PostgresArrayLiteral {
    /// Every element double-quoted, `"` and `\` escaped: safe for any text.
    static func text(_ elements: some Sequence<String>) -> String {
        var literal = "{"
        var first = true
        for element in elements {
            if !first { literal += "," }
            first = false
            literal += "\""
            for character in element.unicodeScalars {
                if character == "\"" || character == "\\" { literal += "\\" }
                literal.unicodeScalars.append(character)
            }
            literal += "\""
        }
        return literal + "}"
    }

    static func integers(_ elements: some Sequence<Int16>) -> String {
        "{" + elements.map(String.init).joined(separator: ",") + "}"
    }
}
