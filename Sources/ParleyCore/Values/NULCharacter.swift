import Foundation

/// What Parley does with U+0000 (NUL): refused in what clients send, replaced in what is stored.
///
/// PostgreSQL's `text` cannot hold the character and its `jsonb` refuses the `\u0000` escape, so a NUL that reached
/// the store would fail the whole write there, while SQLite would keep it. API input that carries one is refused with
/// a clear error; text the server makes itself (a rule's reply, a model's answer, an extracted page) has it replaced
/// with U+FFFD when it is stored, on either store, so that both keep the same text.
public enum NULCharacter {
    /// Whether JSON text escapes a NUL (`\u0000`) in one of its strings; a raw NUL is not valid JSON at all.
    public static func isEscaped(inJSON bytes: UnsafeRawBufferPointer) -> Bool {
        firstEscape(in: bytes, from: 0) != nil
    }

    /// `text` with each NUL replaced by U+FFFD; `text` itself when it has none.
    public static func replaced(in text: String) -> String {
        guard contains(text) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == "\0" ? "\u{FFFD}" : $0 }))
    }

    /// Whether `text` holds a NUL, read with `memchr` over its UTF-8 when it is stored contiguously (every native
    /// string is): every stored text value passes here, and the generic `contains` costs a call per byte.
    static func contains(_ text: String) -> Bool {
        let found = text.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.baseAddress.map { memchr($0, 0, bytes.count) != nil } ?? false
        }
        return found ?? text.utf8.contains(0)
    }

    /// JSON text with each `\u0000` escape replaced by `\ufffd`; `json` itself when it has none.
    public static func replacedEscapes(inJSON json: String) -> String {
        var text = json
        return text.withUTF8 { bytes in
            let raw = UnsafeRawBufferPointer(bytes)
            guard var escape = firstEscape(in: raw, from: 0) else { return json }
            var output: [UInt8] = []
            output.reserveCapacity(raw.count)
            var copied = 0
            while true {
                output.append(contentsOf: raw[copied..<escape])
                output.append(contentsOf: "\\ufffd".utf8)
                copied = escape + 6
                guard let next = firstEscape(in: raw, from: copied) else { break }
                escape = next
            }
            output.append(contentsOf: raw[copied...])
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// The offset of the first `\u0000` escape at or after `start`, reading every backslash as the start of an escape
    /// (as it is in valid JSON), so that an escaped backslash followed by `u0000` is not taken for one.
    private static func firstEscape(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let backslash = UInt8(ascii: "\\")
        var index = start
        while index < bytes.count {
            // Jump to the next backslash: most JSON has none, or few.
            guard let found = memchr(base + index, Int32(backslash), bytes.count - index) else { return nil }
            index = base.distance(to: UnsafeRawPointer(found))
            if index + 5 < bytes.count, bytes[index + 1] == UInt8(ascii: "u"),
                bytes[(index + 2)...(index + 5)].allSatisfy({ $0 == UInt8(ascii: "0") })
            {
                return index
            }
            index += 2
        }
        return nil
    }
}
