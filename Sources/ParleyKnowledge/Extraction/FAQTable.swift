/// Reads a `question,answer` CSV file (RFC 4180 quoting) as FAQ entries.
///
/// The header names the columns (any order, any case; other columns are ignored). Rows with an empty question or
/// answer are skipped and counted.
public enum FAQTable {
    /// The entries, and how many rows were skipped.
    public static func entries(_ text: String) throws(ExtractionError) -> (
        entries: [(question: String, answer: String)], skipped: Int
    ) {
        var rows = CSVRows.parse(text)
        guard !rows.isEmpty else { throw ExtractionError("the CSV file is empty") }
        let header = rows.removeFirst().map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let question = header.firstIndex(of: "question"), let answer = header.firstIndex(of: "answer") else {
            throw ExtractionError("the CSV header must name a question column and an answer column")
        }
        var entries: [(question: String, answer: String)] = []
        var skipped = 0
        for row in rows where !(row.count == 1 && row[0].isEmpty) {
            let q = row.indices.contains(question) ? row[question].trimmingCharacters(in: .whitespacesAndNewlines) : ""
            let a = row.indices.contains(answer) ? row[answer].trimmingCharacters(in: .whitespacesAndNewlines) : ""
            if q.isEmpty || a.isEmpty {
                skipped += 1
            } else {
                entries.append((q, a))
            }
        }
        return (entries, skipped)
    }
}
