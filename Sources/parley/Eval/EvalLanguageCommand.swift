import ArgumentParser
import Foundation
import ParleyUnderstanding

/// `parley eval language`: measures ``LanguageDetector`` on a `text,lang` CSV.
struct EvalLanguageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "language",
        abstract: "Measure language identification accuracy, macro-F1 and speed on a text,lang CSV.",
        discussion: """
            Make the CSV with `python3 scripts/datasets/make-language-csv.py` (chatterbot-corpus). Rows shorter \
            than --min-characters are skipped. The detector's profiles come from langdetect, not from this data.
            """
    )

    @Option(help: "CSV with columns text and lang (or label).")
    var data: String

    @Option(help: "Skip rows whose text has fewer characters than this.")
    var minCharacters = 10

    @Option(help: "Comma-separated candidate languages (default: the detector's defaults).")
    var languages: String?

    @Option(help: "Print this many misclassified rows before the table.")
    var showErrors = 0

    /// The JSON summary printed as the last line.
    struct Summary: Encodable {
        var accuracy: Double
        var macroF1: Double
        var usPerMessage: Double
        var wallUsPerMessage: Double
        var rows: Int
        var minCharacters: Int

        enum CodingKeys: String, CodingKey {
            case accuracy
            case macroF1 = "macro_f1"
            case usPerMessage = "us_per_message"
            case wallUsPerMessage = "wall_us_per_message"
            case rows
            case minCharacters = "min_characters"
        }
    }

    func run() throws {
        let rows = try EvalData.labelledCSV(data, labelColumns: ["lang", "language", "label"])
            .filter { $0.text.count >= minCharacters }
        let detector =
            languages.map { LanguageDetector(languages: Set($0.split(separator: ",").map(String.init))) }
            ?? LanguageDetector()
        _ = detector.detect("warm-up")
        var predicted: [String] = []
        predicted.reserveCapacity(rows.count)
        let elapsed = measureSeconds {
            for row in rows { predicted.append(detector.detect(row.text).language) }
        }
        let gold = rows.map(\.label)
        for (row, guess) in zip(rows, predicted).filter({ $0.0.label != $0.1 }).prefix(showErrors) {
            print("\(row.label) → \(guess): \(row.text)")
        }
        let metrics = EvalMetrics(gold: gold, predicted: predicted)
        var table: [[String]] = []
        for language in Set(gold).sorted() {
            let scores = metrics.classScores(language)
            let confusions = Dictionary(
                zip(gold, predicted).filter { $0.0 == language && $0.1 != language }.map { ($0.1, 1) },
                uniquingKeysWith: +
            )
            .sorted { $0.value > $1.value }.prefix(3).map { "\($0.key)×\($0.value)" }.joined(separator: " ")
            table.append([
                language, "\(scores.support)", formatted(scores.precision, 3), formatted(scores.recall, 3),
                formatted(scores.f1, 3), confusions,
            ])
        }
        table.append(["all", "\(rows.count)", "", formatted(metrics.accuracy, 3), formatted(metrics.macroF1, 3), ""])
        let summary = Summary(
            accuracy: rounded(metrics.accuracy),
            macroF1: rounded(metrics.macroF1),
            usPerMessage: rounded(elapsed.cpu * 1e6 / Double(max(1, rows.count)), 1),
            wallUsPerMessage: rounded(elapsed.wall * 1e6 / Double(max(1, rows.count)), 1),
            rows: rows.count,
            minCharacters: minCharacters
        )
        try EvalReport(
            header: ["lang", "rows", "precision", "recall", "F1", "most confused with"], rows: table, summary: summary
        ).print()
    }
}
