import Foundation

/// Turns an uploaded file into what the ingestor stores: one document, or FAQ entries for a `question,answer` CSV.
public enum DocumentExtractor {
    /// What a file holds, ready to ingest.
    public enum Extracted: Sendable {
        /// A document with a title (from the file when it has one) and its content.
        case document(title: String?, content: KnowledgeIngestor.Source.Content)
        /// FAQ entries, and how many rows were skipped for an empty question or answer.
        case faq([FAQEntry], skipped: Int)
    }

    /// One question and its answer.
    public struct FAQEntry: Sendable, Equatable {
        public var question: String
        public var answer: String
    }

    /// Reads `data` as the format its bytes show.
    public static func extract(_ data: Data, filename: String?) throws(ExtractionError) -> (DocumentFormat, Extracted) {
        guard let format = DocumentFormat.detect(data, filename: filename) else {
            throw ExtractionError(
                "unsupported file: Parley reads PDF, Word (.docx), HTML, Markdown, plain text and question,answer CSV")
        }
        let extracted: Extracted
        switch format {
        case .pdf:
            extracted = .document(title: nil, content: .text(try PDFTextExtractor.extract(data)))
        case .docx:
            let (title, markdown) = try DOCXTextExtractor.extract(data)
            extracted = .document(title: title, content: .markdown(markdown))
        case .html:
            let (title, markdown) = try HTMLTextExtractor.extract(data)
            extracted = .document(title: title, content: .markdown(markdown))
        case .csv:
            let (entries, skipped) = try FAQTable.entries(try text(data))
            extracted = .faq(entries.map { FAQEntry(question: $0.question, answer: $0.answer) }, skipped: skipped)
        case .markdown:
            extracted = .document(title: nil, content: .markdown(try text(data)))
        case .text:
            extracted = .document(title: nil, content: .text(try text(data)))
        }
        if case .document(_, let content) = extracted, content.isBlank {
            throw ExtractionError("the file has no text to learn from (a scanned PDF needs OCR first)")
        }
        return (format, extracted)
    }

    private static func text(_ data: Data) throws(ExtractionError) -> String {
        guard let text = String(data: data, encoding: .utf8) else {
            throw ExtractionError("the file is not UTF-8 text")
        }
        return text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    }
}

extension KnowledgeIngestor.Source.Content {
    /// Whether there is no text at all.
    var isBlank: Bool {
        switch self {
        case .faq(let question, let answer): question.isEmpty || answer.isEmpty
        case .markdown(let text), .text(let text): text.allSatisfy(\.isWhitespace)
        }
    }
}
