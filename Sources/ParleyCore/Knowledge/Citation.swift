import Foundation

/// A reference from an answer back to the knowledge it was taken from.
public struct Citation: Sendable, Equatable, Codable {
    /// The identifier of the cited source: a chunk identifier, or a document identifier.
    public var source: String
    /// The title of the cited document.
    public var title: String
    /// A link to the cited document, when it has one.
    public var url: String?

    /// Creates a citation.
    public init(source: String, title: String, url: String? = nil) {
        self.source = source
        self.title = title
        self.url = url
    }
}

extension Citation: JSONTextWritable {
    /// Writes the citation as its synthesized `encode(to:)` does, members in sorted key order.
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        writer.beginObject()
        try writer.member("source", source)
        try writer.member("title", title)
        try writer.member("url", ifPresent: url)
        writer.endObject()
    }
}
