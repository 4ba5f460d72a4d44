import ParleyCore
import Testing

@Suite("NUL characters")
struct NULCharacterTests {
    static func isEscaped(_ json: String) -> Bool {
        var json = json
        return json.withUTF8 { NULCharacter.isEscaped(inJSON: UnsafeRawBufferPointer($0)) }
    }

    @Test("a \\u0000 escape is found in JSON text; an escaped backslash before u0000 is not one")
    func escapes() {
        #expect(Self.isEscaped(#"{"text":"a\u0000b"}"#))
        #expect(Self.isEscaped(#"["\\\u0000"]"#))
        #expect(!Self.isEscaped(#"{"text":"a\\u0000b"}"#))
        #expect(Self.isEscaped(#"{"text":"\u0001\u00000"}"#))
        #expect(!Self.isEscaped(#"{"text":"\u0010 \ud83d\ude00"}"#))
        #expect(!Self.isEscaped(#"{"text":"\u000"}"#))
        #expect(!Self.isEscaped(""))
    }

    @Test("NULs in text become U+FFFD; text without one is returned as it is")
    func textReplacement() {
        #expect(NULCharacter.replaced(in: "a\0b\0") == "a\u{FFFD}b\u{FFFD}")
        #expect(NULCharacter.replaced(in: "\0") == "\u{FFFD}")
        #expect(NULCharacter.replaced(in: "héllo 👋") == "héllo 👋")
    }

    @Test("\\u0000 escapes in JSON text become \\ufffd, and the JSON still reads back")
    func escapeReplacement() throws {
        let json = #"{"a":"\u0000x\\u0000","b":["\u0000","\\\u0000"]}"#
        let replaced = NULCharacter.replacedEscapes(inJSON: json)
        #expect(replaced == #"{"a":"\ufffdx\\u0000","b":["\ufffd","\\\ufffd"]}"#)
        let value = try JSONTextReader.value(of: replaced)
        #expect(value.objectValue?["a"] == .string("\u{FFFD}x\\u0000"))
        #expect(NULCharacter.replacedEscapes(inJSON: #"{"a":"plain"}"#) == #"{"a":"plain"}"#)
    }
}
