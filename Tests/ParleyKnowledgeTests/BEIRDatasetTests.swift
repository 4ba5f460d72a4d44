import Foundation
import ParleyKnowledge
import Testing

@Suite("BEIR loading")
struct BEIRDatasetTests {
    @Test("parses a corpus: optional title, integer ids, blank lines, extra keys")
    func corpus() throws {
        let text = """
            {"_id": "doc1", "title": "Cards", "text": "How to order a card."}

            {"_id": 42, "text": "No title here.", "metadata": {"url": "x"}}
            """
        #expect(
            try BEIRDataset.parseCorpus(text, file: "corpus.jsonl") == [
                BEIRDocument(id: "doc1", title: "Cards", text: "How to order a card."),
                BEIRDocument(id: "42", title: "", text: "No title here."),
            ])
    }

    @Test("parses queries and qrels with graded scores")
    func queriesAndQrels() throws {
        let queries = try BEIRDataset.parseQueries(#"{"_id": "q1", "text": "card?"}"# + "\n", file: "queries.jsonl")
        #expect(queries == [BEIRQuery(id: "q1", text: "card?")])
        let qrels = try BEIRDataset.parseQrels(
            "query-id\tcorpus-id\tscore\nq1\tdoc1\t1\r\nq1\tdoc2\t2\n\nq2\tdoc1\t0\n", file: "qrels.tsv")
        #expect(qrels == ["q1": ["doc1": 1, "doc2": 2], "q2": ["doc1": 0]])
    }

    @Test(
        "malformed lines name the file and line",
        arguments: [
            ("corpus", "{\"_id\": \"a\", \"text\": \"x\"}\n{not json}\n", "corpus.jsonl:2: not a JSON object"),
            ("corpus", "{\"_id\": \"a\", \"text\": \"x\"}\n\n{\"_id\": \"b\"}\n", "corpus.jsonl:3: missing \"text\""),
            ("corpus", "{\"text\": \"x\"}", "corpus.jsonl:1: missing \"_id\""),
            (
                "corpus", "{\"_id\": \"a\", \"text\": \"x\"}\n{\"_id\": \"a\", \"text\": \"y\"}",
                "corpus.jsonl:2: duplicate document id \"a\""
            ),
            ("corpus", "{\"_id\": \"a\", \"title\": 3, \"text\": \"x\"}", "corpus.jsonl:1: \"title\" must be a string"),
            ("corpus", "[1, 2]", "corpus.jsonl:1: not a JSON object"),
            ("queries", "{\"_id\": [1], \"text\": \"x\"}", "queries.jsonl:1: \"_id\" must be a string or an integer"),
            (
                "queries", "{\"_id\": \"q\", \"text\": \"x\"}\n{\"_id\": \"q\", \"text\": \"y\"}",
                "queries.jsonl:2: duplicate query id \"q\""
            ),
            ("qrels", "q1\td1\t1\n", "qrels.tsv:1: expected the header \"query-id<TAB>corpus-id<TAB>score\""),
            (
                "qrels", "query-id\tcorpus-id\tscore\nq1\td1\t1\nq1 d2 1\n",
                "qrels.tsv:3: expected 3 tab-separated fields, found 1"
            ),
            ("qrels", "query-id\tcorpus-id\tscore\nq1\td1\thigh\n", "qrels.tsv:2: score \"high\" is not an integer"),
            ("qrels", "query-id\tcorpus-id\tscore\n\td1\t1\n", "qrels.tsv:2: empty query-id or corpus-id"),
            ("qrels", "\n\n", "qrels.tsv: the file is empty"),
        ])
    func errors(kind: String, text: String, message: String) {
        do {
            switch kind {
            case "corpus": _ = try BEIRDataset.parseCorpus(text, file: "corpus.jsonl")
            case "queries": _ = try BEIRDataset.parseQueries(text, file: "queries.jsonl")
            default: _ = try BEIRDataset.parseQrels(text, file: "qrels.tsv")
            }
            Issue.record("expected an error: \(message)")
        } catch let error as BEIRDatasetError {
            #expect(error.description == message)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("loads a directory, and a missing file is named")
    func directory() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("beir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try #"{"_id": "d1", "title": "T", "text": "x"}"#.write(
            to: directory.appendingPathComponent("corpus.jsonl"), atomically: true, encoding: .utf8)
        try #"{"_id": "q1", "text": "y"}"#.write(
            to: directory.appendingPathComponent("queries.jsonl"), atomically: true, encoding: .utf8)
        #expect {
            try BEIRDataset(directory: directory)
        } throws: { error in
            guard let error = error as? BEIRDatasetError else { return false }
            return error.line == nil && error.file.hasSuffix("qrels/test.tsv") && error.reason == "cannot read the file"
        }
        try "query-id\tcorpus-id\tscore\nq1\td1\t1\n".write(
            to: directory.appendingPathComponent("qrels.tsv"), atomically: true, encoding: .utf8)
        let dataset = try BEIRDataset(directory: directory)
        #expect(dataset.corpus.map(\.id) == ["d1"])
        #expect(dataset.queries.map(\.id) == ["q1"])
        #expect(dataset.qrels == ["q1": ["d1": 1]])
    }
}
