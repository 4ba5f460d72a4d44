import MultipartKit
import NIOCore
import NIOHTTP1

/// A `multipart/form-data` body split into its named parts (MultipartKit's parser).
struct MultipartForm {
    /// One part: its field name, the file name it came with, and its bytes.
    struct Part {
        var name: String
        var filename: String?
        var body: ByteBuffer
    }

    let parts: [Part]

    /// Parses `body`, whose `Content-Type` is `contentType`; nil when it is not a well-formed form.
    init?(_ body: ByteBuffer, contentType: String) {
        guard contentType.lowercased().hasPrefix("multipart/form-data"),
            let boundary = Self.parameter("boundary", in: contentType)
        else { return nil }
        let parser = MultipartParser(boundary: boundary)
        var parts: [Part] = []
        var headers = HTTPHeaders()
        var current = ByteBuffer()
        parser.onHeader = { headers.replaceOrAdd(name: $0, value: $1) }
        parser.onBody = { current.writeBuffer(&$0) }
        parser.onPartComplete = {
            let disposition = headers.first(name: "Content-Disposition") ?? ""
            if let name = Self.parameter("name", in: disposition) {
                parts.append(Part(name: name, filename: Self.parameter("filename", in: disposition), body: current))
            }
            headers = HTTPHeaders()
            current = ByteBuffer()
        }
        do {
            try parser.execute(body)
        } catch {
            return nil
        }
        self.parts = parts
    }

    /// The first part named `name`.
    func part(_ name: String) -> Part? { parts.first { $0.name == name } }

    /// The first part named `name` as text; 422 when it is not UTF-8 or holds U+0000 (see `NULCharacter`).
    func text(_ name: String) throws -> String? {
        guard let part = part(name) else { return nil }
        guard let text = part.body.withUnsafeReadableBytes({ String(validating: $0, as: UTF8.self) }) else {
            throw APIError.unprocessable("the form field '\(name)' is not UTF-8 text")
        }
        if text.utf8.contains(0) {
            throw APIError.unprocessable("the form field '\(name)' must not contain the NUL character")
        }
        return text
    }

    /// A `key=value` (or `key="value"`) parameter of a header value.
    static func parameter(_ key: String, in header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == key else { continue }
            let value =
                pair[1].hasPrefix("\"") && pair[1].hasSuffix("\"") && pair[1].count >= 2
                ? String(pair[1].dropFirst().dropLast()) : pair[1]
            return value.isEmpty ? nil : value
        }
        return nil
    }
}
