import Foundation
import ZIPFoundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Reads a Word document (`.docx`) as Markdown: headings as `#` lines, list paragraphs as `- ` lines, table rows
/// as cells joined by `|`.
public enum DOCXTextExtractor {
    /// The most a document's main part may take uncompressed: a bound against zip bombs.
    public static let maxDocumentBytes = 32 << 20
    /// The most text read before the document is refused: four times what the knowledge base takes from one
    /// document at most (512 Ki characters of up to 4 bytes), so that a small file of megabytes of repeated words
    /// is refused while it is read, not after it has been held whole.
    public static let maxTextBytes = 8 << 20

    /// Whether `data` is a ZIP archive with a Word document's main part.
    static func isDocument(_ data: Data) -> Bool {
        (try? Archive(data: data, accessMode: .read))?["word/document.xml"] != nil
    }

    /// The document's text as Markdown, and its first heading as a title.
    public static func extract(_ data: Data) throws(ExtractionError) -> (title: String?, markdown: String) {
        let xml: Data
        do {
            let archive = try Archive(data: data, accessMode: .read)
            guard let entry = archive["word/document.xml"] else {
                throw ExtractionError("the file is a ZIP archive but not a Word document")
            }
            guard entry.uncompressedSize <= maxDocumentBytes else {
                throw ExtractionError("the document's text is larger than \(maxDocumentBytes >> 20) MiB")
            }
            var collected = Data()
            _ = try archive.extract(entry, skipCRC32: false) { piece in
                // The declared size can lie (a zip bomb): the bytes actually inflated are counted too.
                guard collected.count + piece.count <= maxDocumentBytes else {
                    throw ExtractionError("the document's text is larger than \(maxDocumentBytes >> 20) MiB")
                }
                collected.append(piece)
            }
            xml = collected
        } catch let error as ExtractionError {
            throw error
        } catch {
            throw ExtractionError("the Word document could not be unpacked")
        }
        let reader = WordprocessingReader()
        let parser = XMLParser(data: xml)
        parser.shouldResolveExternalEntities = false
        parser.delegate = reader
        let parsed = parser.parse()
        if reader.textBytes > maxTextBytes {
            throw ExtractionError("the document's text is larger than \(maxTextBytes >> 20) MiB")
        }
        guard parsed else { throw ExtractionError("the Word document's XML is malformed") }
        return (reader.firstHeading, reader.blocks.joined(separator: "\n\n"))
    }
}

/// Collects paragraphs, their styles and table cells from `word/document.xml`.
private final class WordprocessingReader: NSObject, XMLParserDelegate {
    var blocks: [String] = []
    var firstHeading: String?
    private var paragraph = ""
    private var headingLevel: Int?
    private var isListItem = false
    private var inText = false
    private var tableDepth = 0
    private var row: [String] = []

    func parser(
        _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        switch element {
        case "w:p":
            paragraph = ""
            headingLevel = nil
            isListItem = false
        case "w:pStyle":
            let style = (attributes["w:val"] ?? "").lowercased()
            if style == "title" {
                headingLevel = 1
            } else if style.hasPrefix("heading"), let level = Int(style.dropFirst("heading".count)) {
                headingLevel = min(max(level, 1), 6)
            } else if style.contains("list") {
                isListItem = true
            }
        case "w:numPr": isListItem = true
        case "w:t": inText = true
        case "w:tab": paragraph += " "
        case "w:br", "w:cr": paragraph += " "
        case "w:tbl": tableDepth += 1
        case "w:tr": row = []
        default: break
        }
    }

    /// Bytes of text read so far; past `DOCXTextExtractor.maxTextBytes` the parse stops.
    private(set) var textBytes = 0

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard inText else { return }
        textBytes += string.utf8.count
        guard textBytes <= DOCXTextExtractor.maxTextBytes else { return parser.abortParsing() }
        paragraph += string
    }

    func parser(
        _ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?
    ) {
        switch element {
        case "w:t": inText = false
        case "w:p": endParagraph()
        case "w:tr":
            let cells = row.filter { !$0.isEmpty }
            if !cells.isEmpty { blocks.append(cells.joined(separator: " | ")) }
        case "w:tbl": tableDepth -= 1
        default: break
        }
    }

    private func endParagraph() {
        let text = paragraph.collapsingWhitespace()
        paragraph = ""
        if tableDepth > 0 {
            // A cell may hold several paragraphs: they join the cell, and the row is written when it ends.
            if row.isEmpty || !text.isEmpty { row.append(text) }
            return
        }
        guard !text.isEmpty else { return }
        if let level = headingLevel {
            if firstHeading == nil { firstHeading = text }
            blocks.append(String(repeating: "#", count: level) + " " + text)
        } else if isListItem {
            blocks.append("- " + text)
        } else {
            blocks.append(text)
        }
    }
}
