import Foundation

/// A retrieval test set in the BEIR format: a corpus, queries, and relevance judgements (qrels).
///
/// - `corpus.jsonl`: one JSON object per line, `{"_id": …, "title": …, "text": …}` (`title` optional, other keys
///   ignored);
/// - `queries.jsonl`: one JSON object per line, `{"_id": …, "text": …}`;
/// - `qrels.tsv` (BEIR keeps it as `qrels/test.tsv`): a header `query-id\tcorpus-id\tscore`, then one judgement
///   per line with an integer score (above 0 is relevant; graded scores are gains for nDCG).
///
/// Identifiers may be JSON strings or integers. Blank lines are skipped. Malformed input throws a
/// ``BEIRDatasetError`` naming the file and line.
public struct BEIRDataset: Sendable, Equatable {
    /// The documents, in file order.
    public var corpus: [BEIRDocument]
    /// The queries, in file order.
    public var queries: [BEIRQuery]
    /// The judgements: query identifier → document identifier → score.
    public var qrels: [String: [String: Int]]

    /// Creates a dataset from its parts.
    public init(corpus: [BEIRDocument], queries: [BEIRQuery], qrels: [String: [String: Int]]) {
        self.corpus = corpus
        self.queries = queries
        self.qrels = qrels
    }

    /// Loads the three files.
    ///
    /// - Throws: ``BEIRDatasetError`` for a missing, unreadable or malformed file.
    public init(corpus: URL, queries: URL, qrels: URL) throws {
        self.corpus = try Self.parseCorpus(Self.read(corpus), file: corpus.path)
        self.queries = try Self.parseQueries(Self.read(queries), file: queries.path)
        self.qrels = try Self.parseQrels(Self.read(qrels), file: qrels.path)
    }

    /// Loads `corpus.jsonl`, `queries.jsonl` and `qrels.tsv` (or `qrels/test.tsv`) from `directory`.
    ///
    /// - Throws: ``BEIRDatasetError`` for a missing, unreadable or malformed file.
    public init(directory: URL) throws {
        var qrels = directory.appendingPathComponent("qrels.tsv")
        if !FileManager.default.fileExists(atPath: qrels.path) {
            qrels = directory.appendingPathComponent("qrels").appendingPathComponent("test.tsv")
        }
        try self.init(
            corpus: directory.appendingPathComponent("corpus.jsonl"),
            queries: directory.appendingPathComponent("queries.jsonl"),
            qrels: qrels
        )
    }

    // MARK: - Parsing

    /// Parses the lines of a `corpus.jsonl`; `file` names it in errors.
    public static func parseCorpus(_ text: String, file: String) throws -> [BEIRDocument] {
        var seen: Set<String> = []
        return try jsonObjects(text, file: file).map { line, object in
            let id = try identifier(object, file: file, line: line)
            guard seen.insert(id).inserted else {
                throw BEIRDatasetError(file: file, line: line, reason: "duplicate document id \"\(id)\"")
            }
            let title = try string(object, key: "title", required: false, file: file, line: line) ?? ""
            let text = try string(object, key: "text", required: true, file: file, line: line) ?? ""
            return BEIRDocument(id: id, title: title, text: text)
        }
    }

    /// Parses the lines of a `queries.jsonl`; `file` names it in errors.
    public static func parseQueries(_ text: String, file: String) throws -> [BEIRQuery] {
        var seen: Set<String> = []
        return try jsonObjects(text, file: file).map { line, object in
            let id = try identifier(object, file: file, line: line)
            guard seen.insert(id).inserted else {
                throw BEIRDatasetError(file: file, line: line, reason: "duplicate query id \"\(id)\"")
            }
            let text = try string(object, key: "text", required: true, file: file, line: line) ?? ""
            return BEIRQuery(id: id, text: text)
        }
    }

    /// Parses a `qrels.tsv`, naming it `file` in errors.
    ///
    /// The header line is required.
    public static func parseQrels(_ text: String, file: String) throws -> [String: [String: Int]] {
        var qrels: [String: [String: Int]] = [:]
        var sawHeader = false
        for (offset, content) in lines(of: text).enumerated() {
            let line = offset + 1
            if content.allSatisfy(\.isWhitespace) { continue }
            let fields = content.split(separator: "\t", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            if !sawHeader {
                guard fields == ["query-id", "corpus-id", "score"] else {
                    throw BEIRDatasetError(
                        file: file, line: line, reason: "expected the header \"query-id<TAB>corpus-id<TAB>score\"")
                }
                sawHeader = true
                continue
            }
            guard fields.count == 3 else {
                throw BEIRDatasetError(
                    file: file, line: line, reason: "expected 3 tab-separated fields, found \(fields.count)")
            }
            guard !fields[0].isEmpty, !fields[1].isEmpty else {
                throw BEIRDatasetError(file: file, line: line, reason: "empty query-id or corpus-id")
            }
            guard let score = Int(fields[2]) else {
                throw BEIRDatasetError(file: file, line: line, reason: "score \"\(fields[2])\" is not an integer")
            }
            qrels[fields[0], default: [:]][fields[1]] = score
        }
        guard sawHeader else { throw BEIRDatasetError(file: file, line: nil, reason: "the file is empty") }
        return qrels
    }

    // MARK: - Helpers

    private static func read(_ url: URL) throws -> String {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw BEIRDatasetError(file: url.path, line: nil, reason: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw BEIRDatasetError(file: url.path, line: nil, reason: "the file is not UTF-8")
        }
        return text
    }

    /// The lines of `text`, split at `\n` and `\r\n` only (JSON strings may hold other line separators raw).
    private static func lines(of text: String) -> [Substring] {
        text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
    }

    /// The non-blank lines of a JSON-lines text, each parsed to an object, with 1-based line numbers.
    private static func jsonObjects(_ text: String, file: String) throws -> [(Int, [String: Any])] {
        var objects: [(Int, [String: Any])] = []
        for (offset, line) in lines(of: text).enumerated() {
            if line.allSatisfy(\.isWhitespace) { continue }
            let parsed = try? JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])
            guard let object = parsed as? [String: Any] else {
                throw BEIRDatasetError(file: file, line: offset + 1, reason: "not a JSON object")
            }
            objects.append((offset + 1, object))
        }
        return objects
    }

    private static func identifier(_ object: [String: Any], file: String, line: Int) throws -> String {
        let id: String
        switch object["_id"] {
        case let value as String:
            id = value
        case let value as Int:
            id = String(value)
        case nil:
            throw BEIRDatasetError(file: file, line: line, reason: "missing \"_id\"")
        default:
            throw BEIRDatasetError(file: file, line: line, reason: "\"_id\" must be a string or an integer")
        }
        guard !id.isEmpty else { throw BEIRDatasetError(file: file, line: line, reason: "empty \"_id\"") }
        return id
    }

    private static func string(
        _ object: [String: Any], key: String, required: Bool, file: String, line: Int
    ) throws -> String? {
        switch object[key] {
        case let value as String:
            return value
        case nil, is NSNull:
            if required { throw BEIRDatasetError(file: file, line: line, reason: "missing \"\(key)\"") }
            return nil
        default:
            throw BEIRDatasetError(file: file, line: line, reason: "\"\(key)\" must be a string")
        }
    }
}
