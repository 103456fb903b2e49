import Foundation
public import Core

/// The JSON form of `TopicNews` in the news cache. Sorted keys and the default `Date` encoding
/// (a `Double`, which round-trips exactly) keep a cached value identical to a fresh one.
public enum TopicNewsCoding {
    public static func encode(_ news: TopicNews) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(news)
    }

    public static func decode(_ data: Data) throws -> TopicNews {
        try JSONDecoder().decode(TopicNews.self, from: data)
    }
}
