import ArgumentParser
import Foundation
import ParleyUnderstanding

/// `parley eval pii`: span-level precision, recall and F1 of `PIIDetector` on a Presidio-style JSONL file,
/// the share of benign messages flagged, and the time per message.
struct EvalPIICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pii",
        abstract: "Evaluate the PII detector on labelled spans and benign messages."
    )

    @Option(name: .long, help: "JSONL file with {\"text\", \"spans\":[{\"type\",\"start\",\"end\"}]} rows.")
    var data: String

    @Option(name: .long, parsing: .upToNextOption, help: "Benign messages: .txt (one per line), .csv, CLINC .json.")
    var benign: [String] = []

    @Option(name: .long, help: "Timing passes over all texts; the fastest pass is reported.")
    var repeats: Int = 3

    @Flag(name: .long, help: "Print each missed and spurious span.")
    var verbose = false

    private struct Row: Decodable {
        struct Span: Decodable {
            let type: String
            let start: Int
            let end: Int
        }
        let text: String
        let spans: [Span]
    }

    private struct Score: Encodable {
        let precision: Double
        let recall: Double
        let f1: Double
    }

    private struct Summary: Encodable {
        let perType: [String: Score]
        let microF1: Double
        let strictMicroF1: Double
        let benignFlagRate: Double
        let benignMessages: Int
        let usPerMessage: Double
        let matching: String

        enum CodingKeys: String, CodingKey {
            case perType = "per_type"
            case microF1 = "micro_f1"
            case strictMicroF1 = "strict_micro_f1"
            case benignFlagRate = "benign_flag_rate"
            case benignMessages = "benign_messages"
            case usPerMessage = "us_per_message"
            case matching
        }
    }

    private struct Tally {
        var gold = 0
        var goldFound = 0
        var predicted = 0
        var predictedCorrect = 0
        var strictMatches = 0
    }

    func run() throws {
        let rows = try SafetyEvalCorpus.jsonLines(Row.self, at: data)
        let detector = PIIDetector()
        let scoredTypes = Set(PIIType.allCases.filter { $0 != .dateOfBirth }.map(\.presidioName))
        var tallies: [String: Tally] = [:]
        for row in rows {
            let predicted = detector.detect(in: row.text).map { (type: $0.type.presidioName, range: $0.range) }
            let gold = row.spans.map { (type: $0.type, range: $0.start..<$0.end) }
            for span in gold {
                let found = predicted.contains { $0.type == span.type && $0.range.overlaps(span.range) }
                tallies[span.type, default: Tally()].gold += 1
                if found { tallies[span.type, default: Tally()].goldFound += 1 }
                if predicted.contains(where: { $0.type == span.type && $0.range == span.range }) {
                    tallies[span.type, default: Tally()].strictMatches += 1
                }
                if verbose && !found && scoredTypes.contains(span.type) {
                    print("MISS \(span.type): \(Self.slice(row.text, span.range)) || \(row.text.prefix(120))")
                }
            }
            for span in predicted {
                let correct = gold.contains { $0.type == span.type && $0.range.overlaps(span.range) }
                tallies[span.type, default: Tally()].predicted += 1
                if correct { tallies[span.type, default: Tally()].predictedCorrect += 1 }
                if verbose && !correct {
                    print("FALSE \(span.type): \(Self.slice(row.text, span.range)) || \(row.text.prefix(120))")
                }
            }
        }

        var benignTexts: [String] = []
        for path in benign { benignTexts += try SafetyEvalCorpus.benignTexts(at: path) }
        var flagged = 0
        var flaggedByType: [String: Int] = [:]
        for text in benignTexts {
            let spans = detector.detect(in: text)
            if !spans.isEmpty {
                flagged += 1
                for type in Set(spans.map(\.type.presidioName)) { flaggedByType[type, default: 0] += 1 }
                if verbose { print("BENIGN FLAG \(spans.map { "\($0.type.tag)=\($0.value)" }): \(text)") }
            }
        }

        let allTexts = rows.map(\.text) + benignTexts
        var best = Double.infinity
        for _ in 0..<max(1, repeats) {
            let clock = ContinuousClock()
            var sink = 0
            let elapsed = clock.measure {
                for text in allTexts { sink &+= detector.detect(in: text).count }
            }
            if sink < 0 { print(sink) }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            best = min(best, seconds * 1e6 / Double(max(1, allTexts.count)))
        }

        var perType: [String: Score] = [:]
        var tableRows: [[String]] = []
        var micro = Tally()
        for (type, tally) in tallies.sorted(by: { $0.key < $1.key }) {
            let score = Self.score(tally)
            let scored = scoredTypes.contains(type)
            let note = scored ? "scored" : (type == "DATE_TIME" ? "excluded (DOB only)" : "excluded (not detected)")
            perType[type] = score
            if scored {
                micro.gold += tally.gold
                micro.goldFound += tally.goldFound
                micro.predicted += tally.predicted
                micro.predictedCorrect += tally.predictedCorrect
                micro.strictMatches += tally.strictMatches
            }
            tableRows.append([
                type, String(tally.gold), String(tally.predicted), Self.format(score.precision),
                Self.format(score.recall), Self.format(score.f1),
                Self.format(Self.strictF1(tally)), note,
            ])
        }
        let microScore = Self.score(micro)
        tableRows.append([
            "MICRO (scored types)", String(micro.gold), String(micro.predicted), Self.format(microScore.precision),
            Self.format(microScore.recall), Self.format(microScore.f1), Self.format(Self.strictF1(micro)), "",
        ])
        let benignRate = benignTexts.isEmpty ? 0 : Double(flagged) / Double(benignTexts.count)
        tableRows.append([
            "BENIGN flagged", String(benignTexts.count), String(flagged), "", "", "", "", Self.format(benignRate),
        ])
        for (type, count) in flaggedByType.sorted(by: { $0.key < $1.key }) {
            tableRows.append(["  benign by \(type)", "", String(count), "", "", "", "", ""])
        }
        tableRows.append(["µs per message", String(allTexts.count), "", "", "", "", "", String(format: "%.2f", best)])
        let summary = Summary(
            perType: perType, microF1: Self.round(microScore.f1), strictMicroF1: Self.round(Self.strictF1(micro)),
            benignFlagRate: Self.round(benignRate), benignMessages: benignTexts.count,
            usPerMessage: Self.round(best), matching: "overlap, same type")
        print(
            "Matching rule: a predicted span is correct if it overlaps a gold span of the same type; a gold span is"
                + " found if a same-type prediction overlaps it; strict_f1 needs exact boundaries. Types marked"
                + " 'excluded' are reported but left out of micro_f1 (GPE, ORGANIZATION, generic DATE_TIME, ...).")
        try EvalReport(
            header: ["type", "gold", "predicted", "precision", "recall", "f1", "strict_f1", "note"],
            rows: tableRows, summary: summary
        ).print()
    }

    private static func score(_ tally: Tally) -> Score {
        let precision = tally.predicted == 0 ? 0 : Double(tally.predictedCorrect) / Double(tally.predicted)
        let recall = tally.gold == 0 ? 0 : Double(tally.goldFound) / Double(tally.gold)
        let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
        return Score(precision: round(precision), recall: round(recall), f1: round(f1))
    }

    private static func strictF1(_ tally: Tally) -> Double {
        let precision = tally.predicted == 0 ? 0 : Double(tally.strictMatches) / Double(tally.predicted)
        let recall = tally.gold == 0 ? 0 : Double(tally.strictMatches) / Double(tally.gold)
        return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
    }

    private static func round(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }

    private static func format(_ value: Double) -> String { String(format: "%.4f", value) }

    private static func slice(_ text: String, _ range: Range<Int>) -> String {
        let scalars = Array(text.unicodeScalars)
        let clamped = min(range.lowerBound, scalars.count)..<min(range.upperBound, scalars.count)
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[clamped])
        return String(view).replacingOccurrences(of: "\n", with: "\\n")
    }
}
