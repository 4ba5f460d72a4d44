import Foundation
import ParleyCore
import ParleyUnderstanding
import Testing

@Suite("JSON text read by hand")
struct JSONTextReaderTests {
    /// Whether Foundation's own parser takes `text` as JSON (any value at the top level).
    static func foundationAccepts(_ bytes: [UInt8]) -> Bool {
        (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil
    }

    @Test("any value the writer writes reads back equal, and equal to what JSONDecoder reads")
    func roundTrip() throws {
        var values = JSONTextWriterTests.Values(random: SplitMix64(seed: 7))
        for _ in 0..<2_000 {
            let value = values.value(depth: 0)
            let text = try JSONTextWriter.text(of: value)
            let read = try JSONTextReader.value(of: text)
            #expect(read == value, "\(text)")
            #expect(read == (try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))), "\(text)")
        }
    }

    @Test("texts Foundation accepts are read to the same value; texts it rejects fail here too")
    func differential() throws {
        let texts = [
            #"{"a":1,"b":[true,false,null],"c":{"d":"e"}}"#, " \t\r\n[ 1 , 2 ]\n", #""plain""#, "0", "-0", "-12.5e-3",
            "1E+2", "123456789012345678901234567890", #""\u00e9\ud83d\ude00\n\t\"\\\/\b\f\r""#, #""日本語 😀""#,
            #"{"a":1,"a":2}"#, "[]", "{}", "[[[[]]]]", #"{"":""}"#, "true", "false", "null",
            // Not JSON:
            "", " ", "{", "}", "[1 2]", #"{"a" 1}"#, "{a:1}", "'a'", "01", "1.", ".5", "1e", "+1",
            "-", "--1", "0x10", "NaN", "Infinity", "1e400", "tru", "nul", "[1]x", #""a"#, #""\x""#, #""\u12""#,
            #""\ud800""#, #""\udc00\ud800""#, "\"tab\there\"", "/* c */ 1", "[1]//",
        ]
        for text in texts {
            let bytes = Array(text.utf8)
            let foundation = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
            let ours = try? JSONTextReader.value(of: bytes)
            #expect((ours != nil) == (foundation != nil), "\(text.debugDescription)")
            if ours != nil {
                #expect(ours == (try JSONDecoder().decode(JSONValue.self, from: Data(bytes))), "\(text)")
            }
        }
    }

    @Test("a trailing comma fails, as RFC 8259 has it, though Foundation's parser lets it pass")
    func trailingCommas() {
        for text in ["[1,]", #"{"a":1,}"#, "[,]", "[1,,]"] {
            #expect(throws: JSONTextReader.Failure.self, "\(text)") { try JSONTextReader.value(of: text) }
        }
        #expect(Self.foundationAccepts(Array("[1,]".utf8)), "Foundation changed: the divergence above is gone")
    }

    @Test("an array of strings reads as strings; anything else in it, or any other value, reads as nil")
    func stringsValue() throws {
        #expect(try JSONTextReader.value(of: #"["a", "b\n"]"#).stringsValue == ["a", "b\n"])
        #expect(try JSONTextReader.value(of: "[]").stringsValue == [])
        #expect(try JSONTextReader.value(of: #"["a", 1]"#).stringsValue == nil)
        #expect(try JSONTextReader.value(of: #"["a", null]"#).stringsValue == nil)
        #expect(try JSONTextReader.value(of: #""a""#).stringsValue == nil)
        #expect(try JSONTextReader.value(of: #"{"a": "b"}"#).stringsValue == nil)
    }

    @Test("a repeated key keeps its first value, as JSONDecoder does")
    func repeatedKeys() throws {
        let text = #"{"a":1,"b":{"c":true,"c":false},"a":2}"#
        #expect(try JSONTextReader.value(of: text) == ["a": 1, "b": ["c": true]])
        #expect(try JSONTextReader.value(of: text) == (try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))))
    }

    @Test("a leading UTF-8 byte order mark is skipped, as JSONDecoder skips it; anywhere else it fails")
    func byteOrderMark() throws {
        let mark: [UInt8] = [0xEF, 0xBB, 0xBF]
        let body = mark + Array(#"{"text": "hi"}"#.utf8)
        #expect(try JSONTextReader.value(of: body) == ["text": "hi"])
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data(body)) == ["text": "hi"])
        #expect(throws: JSONTextReader.Failure.self) { try JSONTextReader.value(of: Array("[1,".utf8) + mark + [0x5D]) }
        #expect(throws: JSONTextReader.Failure.self) { try JSONTextReader.value(of: mark) }
    }

    @Test("bytes that are not UTF-8 fail, inside a string or out of one")
    func invalidUTF8() {
        for bytes: [UInt8] in [
            [0x22, 0xFF, 0x22], [0x22, 0xC3, 0x22], [0x5B, 0xFE, 0x5D], [0x22, 0xED, 0xA0, 0x80, 0x22],
        ] {
            #expect(throws: JSONTextReader.Failure.self) { try JSONTextReader.value(of: bytes) }
            #expect(!Self.foundationAccepts(bytes))
        }
        // An escaped string whose raw bytes are broken fails too.
        #expect(throws: JSONTextReader.Failure.self) { try JSONTextReader.value(of: [0x22, 0x5C, 0x6E, 0xFF, 0x22]) }
    }

    @Test("a failure names its byte; nesting beyond the limit fails instead of overflowing the stack")
    func failuresAndDepth() throws {
        do {
            _ = try JSONTextReader.value(of: #"{"a": [1, 2,, 3]}"#)
            Issue.record("a double comma was read")
        } catch let failure as JSONTextReader.Failure {
            #expect(failure.offset == 12)
        }
        let limit = JSONTextReader.maxDepth
        let deepest = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect(try JSONTextReader.value(of: deepest) != .null)
        let tooDeep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        #expect(throws: JSONTextReader.Failure.self) { try JSONTextReader.value(of: tooDeep) }
        let hostile = String(repeating: #"{"a":"#, count: 100_000)
        #expect(throws: JSONTextReader.Failure.self) { try JSONTextReader.value(of: hostile) }
    }

    @Test("random mutations of valid texts are accepted exactly when Foundation accepts them")
    func mutations() throws {
        var values = JSONTextWriterTests.Values(random: SplitMix64(seed: 11))
        var random = SplitMix64(seed: 12)
        let alphabet = Array(#"{}[]:,"\ 0123456789.eE+-truefalsnu/"#.utf8) + [0x00, 0x1F, 0xC3, 0xA9, 0xFF]
        for _ in 0..<3_000 {
            var bytes = Array(try JSONTextWriter.text(of: values.value(depth: 0)).utf8)
            guard !bytes.isEmpty else { continue }
            for _ in 0...Int(random.next() % 2) {
                let position = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 3 {
                case 0: bytes.remove(at: position)
                case 1: bytes.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: position)
                default: bytes[position] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                }
                if bytes.isEmpty { break }
            }
            let ours = try? JSONTextReader.value(of: bytes)
            let foundation = Self.foundationAccepts(bytes)
            #expect((ours != nil) == foundation, "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
            if let ours, foundation {
                // JSONDecoder alone refuses a number that underflows a Double (1e-400); the others read 0.
                if let expected = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)) {
                    #expect(ours == expected, "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
                }
            }
        }
    }
}
