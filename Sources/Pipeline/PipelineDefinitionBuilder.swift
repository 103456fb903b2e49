import Core
import Foundation
import Yams

/// Maps a pipeline file's YAML tree onto `PipelineDefinition`, key by key, with snake_case keys
/// (`top_k`, `lock_ttl`, …). Returns nil when any issue was recorded.
enum PipelineDefinitionBuilder {
    static func build(_ root: Node, defaultName: String, reader: inout PipelineYAMLReader) -> PipelineDefinition? {
        let allowed: Set<String> = ["name", "description", "sources", "default_sources", "topics", "cache", "rank", "render", "delivery"]
        guard let entries = reader.mapping(root, "", allowed: allowed) else { return nil }
        var definition = PipelineDefinition(name: defaultName)
        var sawSources = false
        var topicNodes: [(key: String, value: Node)] = []
        var defaultSourcesNode: Node?
        for (key, value) in entries {
            switch key {
            case "name":
                if let name = reader.string(value, key) {
                    if isValidName(name) { definition.name = name } else {
                        reader.fail(value, key, "must be letters, digits, '-' or '_' (it names slot runs)")
                    }
                }
            case "description":
                _ = reader.string(value, key, nonEmpty: false)
            case "sources":
                sawSources = true
                if let sources = self.sources(value, &reader) { definition.sources = sources }
            case "default_sources":
                defaultSourcesNode = value
            case "topics":
                topicNodes = reader.mapping(value, key) ?? []
            case "cache":
                definition.cache = cache(value, &reader)
            case "rank":
                definition.rank = rank(value, &reader)
            case "render":
                definition.render = render(value, &reader)
            case "delivery":
                definition.delivery = delivery(value, &reader)
            default:
                break
            }
        }
        if !sawSources { reader.fail(root, "sources", "is required (a list of news sources)") }
        // Last: these refer to source names.
        let names = Set(definition.sources.map(\.name))
        if let node = defaultSourcesNode {
            definition.defaultSources = sourceNames(node, "default_sources", known: names, &reader)
            if case .sequence(let list) = node, list.isEmpty {
                reader.fail(node, "default_sources", "must name at least one source (leave it out to use all)")
            }
        }
        definition.topics = topics(topicNodes, sources: names, &reader)
        return reader.issues.isEmpty ? definition : nil
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || scalar == "-" || scalar == "_"
        }
    }

    // MARK: sources

    static func sources(_ node: Node, _ reader: inout PipelineYAMLReader) -> [SourceDefinition]? {
        guard let items = reader.sequence(node, "sources") else { return nil }
        if items.isEmpty { reader.fail(node, "sources", "must name at least one source") }
        var result: [SourceDefinition] = []
        var names = Set<String>()
        for (index, item) in items.enumerated() {
            let path = "sources[\(index)]"
            guard let entries = reader.mapping(item, path, allowed: ["name", "kind", "url", "weight", "languages"]) else { continue }
            var name: String?, kind: SourceDefinition.Kind?, url: String?, weight = 1.0, languages: [Language] = []
            for (key, value) in entries {
                let keyPath = "\(path).\(key)"
                switch key {
                case "name":
                    name = reader.string(value, keyPath)
                    if let n = name, !isValidName(n) {
                        reader.fail(value, keyPath, "must be letters, digits, '-' or '_' (it is also the fixture file name)")
                    } else if let n = name, !names.insert(n).inserted {
                        reader.fail(value, keyPath, "duplicate source name '\(n)'")
                    }
                case "kind":
                    if let raw = reader.string(value, keyPath) {
                        kind = SourceDefinition.Kind(rawValue: raw)
                        if kind == nil { reader.fail(value, keyPath, "must be gnews or feed") }
                    }
                case "url":
                    url = reader.string(value, keyPath)
                    if let u = url, !(u.hasPrefix("https://") || u.hasPrefix("http://")) {
                        reader.fail(value, keyPath, "must be an http(s) URL")
                    }
                case "weight":
                    weight = reader.double(value, keyPath, "> 0") { $0 > 0 } ?? weight
                case "languages":
                    languages = self.languages(value, keyPath, &reader)
                default:
                    break
                }
            }
            if name == nil, !entries.contains(where: { $0.key == "name" }) { reader.fail(item, "\(path).name", "is required") }
            if kind == nil, !entries.contains(where: { $0.key == "kind" }) { reader.fail(item, "\(path).kind", "is required (gnews or feed)") }
            if kind == .feed, url == nil, !entries.contains(where: { $0.key == "url" }) {
                reader.fail(item, "\(path).url", "is required for a feed")
            }
            if let name, let kind {
                result.append(SourceDefinition(name: name, kind: kind, url: url, weight: weight, languages: languages))
            }
        }
        return result
    }

    static func languages(_ node: Node, _ path: String, _ reader: inout PipelineYAMLReader) -> [Language] {
        guard let items = reader.sequence(node, path) else { return [] }
        var result: [Language] = []
        for (index, item) in items.enumerated() {
            guard let raw = reader.string(item, "\(path)[\(index)]") else { continue }
            if let language = Language(rawValue: raw) { result.append(language) } else {
                reader.fail(item, "\(path)[\(index)]", "must be one of: \(Language.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        return result
    }

    /// A list of names of defined sources.
    static func sourceNames(_ node: Node, _ path: String, known: Set<String>, _ reader: inout PipelineYAMLReader) -> [String] {
        let names = reader.stringList(node, path) ?? []
        for (index, name) in names.enumerated() where !known.contains(name) {
            let item = node.sequence.map { Array($0)[index] } ?? node
            reader.fail(item, "\(path)[\(index)]", "unknown source '\(name)' (not in sources)")
        }
        return names
    }

    // MARK: topics

    static func topics(_ entries: [(key: String, value: Node)], sources: Set<String>,
                       _ reader: inout PipelineYAMLReader) -> [String: TopicDefinition] {
        var result: [String: TopicDefinition] = [:]
        for (rawName, value) in entries {
            let path = "topics.\(rawName)"
            guard let topic = Topic(rawName) else {
                reader.fail(value, path, "topic name must not be empty")
                continue
            }
            guard result[topic.name] == nil else {
                reader.fail(value, path, "the same topic as another entry after normalisation ('\(topic.name)')")
                continue
            }
            guard let fields = reader.mapping(value, path, allowed: ["sources", "query", "include", "exclude"]) else { continue }
            var definition = TopicDefinition()
            for (key, field) in fields {
                let keyPath = "\(path).\(key)"
                switch key {
                case "sources":
                    definition.sources = sourceNames(field, keyPath, known: sources, &reader)
                case "query": definition.query = reader.string(field, keyPath)
                case "include": definition.include = reader.stringList(field, keyPath) ?? []
                case "exclude": definition.exclude = reader.stringList(field, keyPath) ?? []
                default: break
                }
            }
            result[topic.name] = definition
        }
        return result
    }

    // MARK: policies

    static func cache(_ node: Node, _ reader: inout PipelineYAMLReader) -> CachePolicy {
        var policy = CachePolicy()
        for (key, value) in reader.mapping(node, "cache", allowed: ["ttl", "lock_ttl"]) ?? [] {
            let path = "cache.\(key)"
            switch key {
            case "ttl": policy.ttl = reader.duration(value, path) ?? policy.ttl
            case "lock_ttl": policy.lockTTL = reader.duration(value, path) ?? policy.lockTTL
            default: break
            }
        }
        return policy
    }

    static func rank(_ node: Node, _ reader: inout PipelineYAMLReader) -> RankPolicy {
        var policy = RankPolicy()
        let allowed: Set<String> = ["top_k", "max_per_source", "half_life_hours", "max_age_hours", "cluster_threshold", "publisher_weights"]
        for (key, value) in reader.mapping(node, "rank", allowed: allowed) ?? [] {
            let path = "rank.\(key)"
            switch key {
            case "top_k": policy.topK = reader.int(value, path, "> 0") { $0 > 0 } ?? policy.topK
            case "max_per_source": policy.maxPerSource = reader.int(value, path, "> 0") { $0 > 0 } ?? policy.maxPerSource
            case "half_life_hours": policy.halfLifeHours = reader.double(value, path, "> 0") { $0 > 0 } ?? policy.halfLifeHours
            case "max_age_hours": policy.maxAgeHours = reader.double(value, path, "> 0") { $0 > 0 } ?? policy.maxAgeHours
            case "cluster_threshold":
                policy.clusterThreshold = reader.double(value, path, "in (0, 1]") { $0 > 0 && $0 <= 1 } ?? policy.clusterThreshold
            case "publisher_weights":
                var weights: [String: Double] = [:]
                for (publisher, weight) in reader.mapping(value, path) ?? [] {
                    if let w = reader.double(weight, "\(path).\(publisher)", "> 0", { $0 > 0 }) { weights[publisher] = w }
                }
                policy.publisherWeights = weights
            default: break
            }
        }
        return policy
    }

    static func render(_ node: Node, _ reader: inout PipelineYAMLReader) -> RenderPolicy {
        var policy = RenderPolicy()
        let allowed: Set<String> = ["max_items_per_topic", "max_items", "summary_length", "max_message_length", "history_days"]
        for (key, value) in reader.mapping(node, "render", allowed: allowed) ?? [] {
            let path = "render.\(key)"
            switch key {
            case "max_items_per_topic": policy.maxItemsPerTopic = reader.int(value, path, "> 0") { $0 > 0 } ?? policy.maxItemsPerTopic
            case "max_items": policy.maxItems = reader.int(value, path, "> 0") { $0 > 0 } ?? policy.maxItems
            case "summary_length": policy.summaryLength = reader.int(value, path, ">= 0") { $0 >= 0 } ?? policy.summaryLength
            case "max_message_length":
                // Below ~256 a single item could not fit; above 4096 Telegram refuses the message.
                policy.maxMessageLength = reader.int(value, path, "in 256...4096") { (256...4096).contains($0) } ?? policy.maxMessageLength
            case "history_days": policy.historyDays = reader.int(value, path, ">= 0") { $0 >= 0 } ?? policy.historyDays
            default: break
            }
        }
        return policy
    }

    static func delivery(_ node: Node, _ reader: inout PipelineYAMLReader) -> DeliveryPolicy {
        var policy = DeliveryPolicy()
        let allowed: Set<String> = ["global_rate", "per_chat_rate", "per_group_per_minute", "concurrency", "retry"]
        for (key, value) in reader.mapping(node, "delivery", allowed: allowed) ?? [] {
            let path = "delivery.\(key)"
            switch key {
            case "global_rate": policy.globalRate = reader.double(value, path, "> 0") { $0 > 0 } ?? policy.globalRate
            case "per_chat_rate": policy.perChatRate = reader.double(value, path, "> 0") { $0 > 0 } ?? policy.perChatRate
            case "per_group_per_minute":
                policy.perGroupPerMinute = reader.double(value, path, "> 0") { $0 > 0 } ?? policy.perGroupPerMinute
            case "concurrency": policy.concurrency = reader.int(value, path, "> 0") { $0 > 0 } ?? policy.concurrency
            case "retry": policy.retry = retry(value, path, &reader)
            default: break
            }
        }
        return policy
    }

    static func retry(_ node: Node, _ path: String, _ reader: inout PipelineYAMLReader) -> RetryStrategy {
        let defaults = RetryStrategy()
        var maxAttempts = defaults.maxAttempts, base = defaults.baseDelay, cap = defaults.maxDelay
        var capNode: Node?
        for (key, value) in reader.mapping(node, path, allowed: ["max_attempts", "base_delay", "max_delay"]) ?? [] {
            let keyPath = "\(path).\(key)"
            switch key {
            case "max_attempts": maxAttempts = reader.int(value, keyPath, ">= 1") { $0 >= 1 } ?? maxAttempts
            case "base_delay": base = reader.duration(value, keyPath) ?? base
            case "max_delay": cap = reader.duration(value, keyPath) ?? cap; capNode = value
            default: break
            }
        }
        if cap < base { reader.fail(capNode ?? node, "\(path).max_delay", "must be >= base_delay") }
        return RetryStrategy(maxAttempts: maxAttempts, baseDelay: base, maxDelay: cap)
    }
}
