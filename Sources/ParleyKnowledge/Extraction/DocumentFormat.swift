import Foundation

/// The kinds of file Parley reads into its knowledge base, told apart by their bytes (the name only breaks ties
/// between kinds of plain text).
public enum DocumentFormat: String, Sendable, CaseIterable {
    case text
    case markdown
    case html
    /// A `question,answer` table: each row becomes an FAQ entry.
    case csv
    case docx
    case pdf

    /// The format of `data`, or nil when it is none that Parley reads (an image, an archive, binary noise).
    ///
    /// A file that claims to be text by its name but is not valid UTF-8 is refused: the name is a hint, never trusted.
    public static func detect(_ data: Data, filename: String?) -> DocumentFormat? {
        let head = Array(data.prefix(1_024))
        if head.starts(with: Array("%PDF-".utf8)) { return .pdf }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            return DOCXTextExtractor.isDocument(data) ? .docx : nil
        }
        guard let text = String(data: data.prefix(64 * 1_024), encoding: .utf8) ?? Self.truncatedUTF8(data),
            !text.contains("\u{0}")
        else { return nil }
        let start = text.drop { $0.isWhitespace || $0 == "\u{FEFF}" }.prefix(512).lowercased()
        if start.hasPrefix("<!doctype html") || start.hasPrefix("<html") || start.contains("<body")
            || start.contains("<head")
        {
            return .html
        }
        let name = filename?.lowercased() ?? ""
        // Text that is code, style or data rather than something to answer from.
        if let dot = name.lastIndex(of: "."), Self.notDocuments.contains(String(name[name.index(after: dot)...])) {
            return nil
        }
        if name.hasSuffix(".csv") { return .csv }
        if name.hasSuffix(".md") || name.hasSuffix(".markdown") { return .markdown }
        if name.hasSuffix(".html") || name.hasSuffix(".htm") { return .html }
        return .text
    }

    /// Extensions of text files that are not documents: stylesheets, scripts, source code, data and config.
    static let notDocuments: Set<String> = [
        "css", "scss", "less", "js", "mjs", "cjs", "ts", "map", "json", "xml", "svg", "yaml", "yml", "toml", "ini",
        "conf", "sh", "py", "rb", "go", "swift", "java", "c", "h", "cpp", "rs", "php", "sql", "lock",
    ]

    /// The text of data cut at 64 KiB, which may end inside a character.
    private static func truncatedUTF8(_ data: Data) -> String? {
        guard data.count > 64 * 1_024 else { return nil }
        for cut in 0..<4 {
            if let text = String(data: data.prefix(64 * 1_024 - cut), encoding: .utf8) { return text }
        }
        return nil
    }
}
