import CRabbitMQ

#if canImport(Glibc)
import Glibc
#endif

/// Owns the C memory handed to librabbitmq for one call sequence: `amqp_bytes_t` must point
/// at memory that outlives the call (`amqp_cstring_bytes` on a Swift string would point into
/// a temporary). Everything is freed when the arena goes away.
final class AMQPArena {
    private var allocations: [UnsafeMutableRawPointer] = []

    deinit {
        for pointer in allocations { free(pointer) }
    }

    private func allocate(_ size: Int) -> UnsafeMutableRawPointer {
        let pointer = malloc(Swift.max(size, 1))!
        allocations.append(pointer)
        return pointer
    }

    func bytes<C: Collection>(_ source: C) -> amqp_bytes_t where C.Element == UInt8 {
        let count = source.count
        let pointer = allocate(count)
        let buffer = UnsafeMutableRawBufferPointer(start: pointer, count: count)
        _ = buffer.copyBytes(from: source)
        return amqp_bytes_t(len: count, bytes: pointer)
    }

    func bytes(_ string: String) -> amqp_bytes_t { bytes(Array(string.utf8)) }

    func table(_ fields: [(String, AMQPField)]) -> amqp_table_t {
        guard !fields.isEmpty else { return amqp_table_t(num_entries: 0, entries: nil) }
        let raw = allocate(MemoryLayout<amqp_table_entry_t>.stride * fields.count)
        let entries = raw.bindMemory(to: amqp_table_entry_t.self, capacity: fields.count)
        for (index, (key, field)) in fields.enumerated() {
            var value = amqp_field_value_t()
            switch field {
            case .string(let text):
                value.kind = UInt8(ascii: "S")
                value.value.bytes = bytes(text)
            case .int(let number):
                value.kind = UInt8(ascii: "l")
                value.value.i64 = number
            }
            (entries + index).initialize(to: amqp_table_entry_t(key: bytes(key), value: value))
        }
        return amqp_table_t(num_entries: Int32(fields.count), entries: entries)
    }
}
