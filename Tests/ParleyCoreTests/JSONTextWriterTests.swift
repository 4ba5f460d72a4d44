import Foundation
import ParleyCore
import ParleyUnderstanding
import Testing

@Suite("JSON text written by hand")
struct JSONTextWriterTests {
    /// What `JSONEncoder` writes for `value` with the settings the store and the API use.
    static func foundation(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Random JSON values: every kind, nested, with keys and strings that need escaping or sort unusually.
    struct Values {
        var random: SplitMix64

        static let strings = [
            "", "a", "B", "a10", "a9", "_x", "é", "Z", "10", "9", "quote \" and \\ and /", "line\nbreak\ttab\r",
            "\u{01}\u{08}\u{0C}\u{1F}\u{7F}", "emoji 😀 and \u{2028}", "日本語", "<script>alert(1)</script>",
            "e\u{301}", "f", "\u{E9}",
        ]

        mutating func string() -> String {
            Self.strings[Int(random.next() % UInt64(Self.strings.count))]
                + (random.next() % 3 == 0 ? String(random.next() % 1000) : "")
        }

        mutating func number() -> Double {
            switch random.next() % 6 {
            case 0: Double(Int64(bitPattern: random.next()) % 1_000_000)
            case 1: Double(random.next() % 10_000) / 100
            case 2: Double(bitPattern: random.next() & 0x7FEF_FFFF_FFFF_FFFF)
            case 3: -Double(bitPattern: random.next() & 0x3FFF_FFFF_FFFF_FFFF)
            case 4: [0, -0.0, 1e15, 3e15, 1e16, 1e20, 1e-5, 9_007_199_254_740_993][Int(random.next() % 8)]
            default: Double(random.next() % 1_000_000_000_000_000)
            }
        }

        mutating func value(depth: Int) -> JSONValue {
            switch random.next() % (depth > 2 ? 4 : 6) {
            case 0: .null
            case 1: .bool(random.next() % 2 == 0)
            case 2: .number(number())
            case 3: .string(string())
            case 4: .array((0..<Int(random.next() % 4)).map { _ in value(depth: depth + 1) })
            default:
                .object(
                    Dictionary(
                        (0..<Int(random.next() % 5)).map { _ in (string(), value(depth: depth + 1)) },
                        uniquingKeysWith: { first, _ in first }))
            }
        }
    }

    @Test("any JSON value is written exactly as JSONEncoder writes it, sorted keys, escapes and numbers included")
    func values() throws {
        var values = Values(random: SplitMix64(seed: 42))
        for _ in 0..<2_000 {
            let value = values.value(depth: 0)
            #expect(try JSONTextWriter.text(of: value) == Self.foundation(value))
        }
    }

    @Test("trace entries and citations, with and without their optional members, match JSONEncoder")
    func traceAndCitations() throws {
        var values = Values(random: SplitMix64(seed: 7))
        for round in 0..<300 {
            let entries = (0..<(round % 4)).map { index in
                TraceEntry(
                    stage: values.string(), version: values.string(), durationMicros: round * 37 - index,
                    decision: values.string(), reason: index % 2 == 0 ? nil : values.string(),
                    notes: (0..<(index % 3)).map { _ in values.string() })
            }
            #expect(try JSONTextWriter.text(of: entries) == Self.foundation(entries))
            let citation = Citation(
                source: values.string(), title: values.string(), url: round % 2 == 0 ? nil : values.string())
            #expect(try JSONTextWriter.text(of: [citation]) == Self.foundation([citation]))
        }
    }

    @Test("dates are written as the .iso8601 strategy writes them, whole seconds rounded down")
    func dates() throws {
        struct Stamped: JSONTextWritable {
            var at: Date
            func writeJSON(to writer: inout JSONTextWriter) {
                writer.beginObject()
                writer.member("at", iso8601: at)
                writer.endObject()
            }
        }
        var random = SplitMix64(seed: 3)
        let edges: [TimeInterval] = [
            0, -1.5, 0.999_999_9, 951_782_400, 4_102_444_799.999, 1_765_000_000.5, 1_765_000_000.999_999_95,
            -12_219_292_800, -12_219_292_800.5, -12_219_292_801, -62_135_596_800, -62_135_596_801,
            253_402_300_799, 253_402_300_799.5, 253_402_300_800, 253_402_300_801, 1e13, -1e13,
        ]
        let spread = (0..<500).map { _ in Double(random.next() % 4_102_444_800_000) / 1000 - 86_400 }
        let dates = (edges + spread).map { Date(timeIntervalSince1970: $0) } + [.distantPast, .distantFuture]
        for date in dates {
            let value = Stamped(at: date)
            #expect(try JSONTextWriter.text(of: value) == Self.foundation(value), "\(date.timeIntervalSince1970)")
        }
    }

    @Test("a number JSON cannot hold is an error, as with JSONEncoder")
    func nonFinite() {
        #expect(throws: EncodingError.self) { try JSONTextWriter.text(of: [Double.nan]) }
        #expect(throws: EncodingError.self) { try JSONTextWriter.text(of: JSONValue.number(.infinity)) }
    }
}
