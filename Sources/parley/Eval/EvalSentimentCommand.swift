import ArgumentParser
import Foundation
import ParleyUnderstanding

/// `parley eval sentiment`: measures ``SentimentAnalyzer`` on a `text,label` CSV, with VADER beside it.
struct EvalSentimentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sentiment",
        abstract: "Measure three-way sentiment accuracy, macro-F1 and speed on a text,label CSV.",
        discussion: """
            Labels are negative/neutral/positive. Make CSVs with `python3 scripts/datasets/make-sentiment-csv.py`; \
            their `vader` column holds VADER's compound score (computed by the script with PyPI vaderSentiment), \
            which is labelled with VADER's documented ±0.05 thresholds and printed beside our figures. \
            --pick-band-on FILE chooses our neutral band on another labelled CSV (never the test file).
            """
    )

    @Option(help: "CSV with columns text and label (negative/neutral/positive), optionally vader.")
    var data: String

    @Option(help: "Neutral range for our scores as LOWER:UPPER, e.g. -0.05:0.35 (default: the analyzer's).")
    var neutralRange: String?

    @Option(help: "Choose the neutral range that maximises macro-F1 on this other CSV (never the test file).")
    var pickRangeOn: String?

    @Option(help: "Threshold applied to VADER's compound score (VADER's documented value is 0.05).")
    var vaderThreshold = 0.05

    /// The JSON summary printed as the last line.
    struct Summary: Encodable {
        var accuracy: Double
        var macroF1: Double
        var usPerMessage: Double
        var wallUsPerMessage: Double
        var neutralLow: Double
        var neutralHigh: Double
        var rows: Int
        var vaderAccuracy: Double?
        var vaderMacroF1: Double?

        enum CodingKeys: String, CodingKey {
            case accuracy
            case macroF1 = "macro_f1"
            case usPerMessage = "us_per_message"
            case wallUsPerMessage = "wall_us_per_message"
            case neutralLow = "neutral_low"
            case neutralHigh = "neutral_high"
            case rows
            case vaderAccuracy = "vader_accuracy"
            case vaderMacroF1 = "vader_macro_f1"
        }
    }

    func run() throws {
        guard let contents = FileManager.default.contents(atPath: data) else {
            throw EvalData.Failure.unreadable(data)
        }
        let table = EvalData.parseCSV(String(decoding: contents, as: UTF8.self))
        let rows = try EvalData.labelledCSV(data, labelColumns: ["label", "sentiment"])
        let vaderColumn = table.first?.firstIndex(of: "vader")
        let vaderScores: [Double]? = vaderColumn.map { column in
            table.dropFirst().filter { $0.count > column }.compactMap { Double($0[column]) }
        }
        var analyzer = SentimentAnalyzer()
        if let pickRangeOn {
            analyzer.neutralRange = try Self.pickRange(analyzer, file: pickRangeOn)
        }
        if let neutralRange {
            let bounds = neutralRange.split(separator: ":").compactMap { Double($0) }
            guard bounds.count == 2, bounds[0] <= bounds[1] else {
                throw ValidationError("--neutral-range takes LOWER:UPPER with LOWER <= UPPER")
            }
            analyzer.neutralRange = bounds[0]...bounds[1]
        }
        _ = analyzer.score("warm-up :)")
        var scores: [Double] = []
        scores.reserveCapacity(rows.count)
        let elapsed = measureSeconds {
            for row in rows { scores.append(analyzer.score(row.text)) }
        }
        let gold = rows.map { $0.label.lowercased() }
        let ours = EvalMetrics(gold: gold, predicted: scores.map { analyzer.label(forScore: $0).rawValue })
        let vader = vaderScores.flatMap { scores -> EvalMetrics? in
            guard scores.count == rows.count else { return nil }
            let labels = scores.map { score -> String in
                score >= vaderThreshold ? "positive" : (score <= -vaderThreshold ? "negative" : "neutral")
            }
            return EvalMetrics(gold: gold, predicted: labels)
        }
        var lines: [[String]] = []
        for label in SentimentLabel.allCases.map(\.rawValue) {
            let mine = ours.classScores(label)
            let theirs = vader?.classScores(label)
            lines.append([
                label, "\(mine.support)", formatted(mine.precision, 3), formatted(mine.recall, 3),
                formatted(mine.f1, 3),
                theirs.map { formatted($0.f1, 3) } ?? "n/a",
            ])
        }
        lines.append([
            "accuracy", "\(rows.count)", "", "", formatted(ours.accuracy, 3),
            vader.map { formatted($0.accuracy, 3) } ?? "n/a",
        ])
        lines.append([
            "macro-F1", "", "", "", formatted(ours.macroF1, 3), vader.map { formatted($0.macroF1, 3) } ?? "n/a",
        ])
        let summary = Summary(
            accuracy: rounded(ours.accuracy),
            macroF1: rounded(ours.macroF1),
            usPerMessage: rounded(elapsed.cpu * 1e6 / Double(max(1, rows.count)), 1),
            wallUsPerMessage: rounded(elapsed.wall * 1e6 / Double(max(1, rows.count)), 1),
            neutralLow: analyzer.neutralRange.lowerBound,
            neutralHigh: analyzer.neutralRange.upperBound,
            rows: rows.count,
            vaderAccuracy: vader.map { rounded($0.accuracy) },
            vaderMacroF1: vader.map { rounded($0.macroF1) }
        )
        let range =
            "\(formatted(analyzer.neutralRange.lowerBound, 2))…\(formatted(analyzer.neutralRange.upperBound, 2))"
        print("ours: neutral inside \(range); VADER: neutral inside ±\(vaderThreshold)")
        try EvalReport(
            header: ["class / figure", "rows", "precision", "recall", "F1 (ours)", "F1 (VADER)"], rows: lines,
            summary: summary
        ).print()
    }

    /// Returns the neutral range (bounds on a 0.05 grid in -0.95…0.95) with the best macro-F1 on `file`.
    static func pickRange(_ analyzer: SentimentAnalyzer, file: String) throws -> ClosedRange<Double> {
        let rows = try EvalData.labelledCSV(file, labelColumns: ["label", "sentiment"])
        let scores = rows.map { analyzer.score($0.text) }
        let gold = rows.map { $0.label.lowercased() }
        var best = (f1: -1.0, range: analyzer.neutralRange)
        for low in -19...19 {
            for high in low...19 {
                var candidate = analyzer
                candidate.neutralRange = (Double(low) * 0.05)...(Double(high) * 0.05)
                let predicted = scores.map { candidate.label(forScore: $0).rawValue }
                let f1 = EvalMetrics(gold: gold, predicted: predicted).macroF1
                if f1 > best.f1 + 1e-12 { best = (f1, candidate.neutralRange) }
            }
        }
        return best.range
    }
}
