import ArgumentParser
import Foundation
import ParleyKnowledge
import ParleyUnderstanding

/// `parley eval injection`: detection rate on malicious rows, false alarms on benign rows of the same file and
/// on benign customer queries, and time per message.
struct EvalInjectionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "injection",
        abstract: "Evaluate the prompt-injection detector."
    )

    @Option(name: .long, help: "JSONL rows with \"text\", \"label\" (malicious/benign) and optional \"channel\".")
    var data: String

    @Option(name: .long, parsing: .upToNextOption, help: "Benign queries: .txt (one per line), .csv, CLINC .json.")
    var benign: [String] = []

    @Option(
        name: .long, parsing: .upToNextOption,
        help: """
            Benign documents (files or folders: HTML, Markdown, text, PDF, Word), chunked as ingestion chunks them and \
            screened as the retrieval stage screens passages: every flag is a passage a visitor would lose.
            """)
    var documents: [String] = []

    @Option(name: .long, help: "Evidence a text needs to be flagged (the detector's default: 1.0).")
    var threshold = 1.0

    @Flag(name: .long, help: "Print misses and false alarms.")
    var verbose = false

    private struct Row: Decodable {
        let text: String
        let label: String
        let channel: String?
        let category: String?
        let lang: String?
    }

    private struct Summary: Encodable {
        let detectionRate: Double
        let falseAlarmRate: Double
        let falseAlarmRateFileBenign: Double
        let maliciousRows: Int
        let fileBenignRows: Int
        let benignQueries: Int
        let usPerMessage: Double
        let moderationFlagRateBenign: Double
        let documentChunks: Int
        let documentFlagRate: Double

        enum CodingKeys: String, CodingKey {
            case detectionRate = "detection_rate"
            case falseAlarmRate = "false_alarm_rate"
            case falseAlarmRateFileBenign = "false_alarm_rate_file_benign"
            case maliciousRows = "malicious_rows"
            case fileBenignRows = "file_benign_rows"
            case benignQueries = "benign_queries"
            case usPerMessage = "us_per_message"
            case moderationFlagRateBenign = "moderation_flag_rate_benign"
            case documentChunks = "document_chunks"
            case documentFlagRate = "document_flag_rate"
        }
    }

    func run() throws {
        let rows = try SafetyEvalCorpus.jsonLines(Row.self, at: data)
        let detector = InjectionDetector(threshold: threshold)
        var byGroup: [String: (total: Int, flagged: Int)] = [:]
        var malicious = 0
        var detected = 0
        var fileBenign = 0
        var fileAlarms = 0
        for row in rows {
            let source: TextSource
            switch row.channel {
            case "tool_output": source = .toolOutput
            case "memory": source = .memory
            case "document", "retrieved": source = .retrievedDocument
            default: source = .userMessage
            }
            let assessment = detector.assess(row.text, source: source)
            let isMalicious = row.label == "malicious"
            let group = "\(row.label) / \(row.category ?? "-")"
            byGroup[group, default: (0, 0)].total += 1
            if assessment.isInjection { byGroup[group, default: (0, 0)].flagged += 1 }
            if isMalicious {
                malicious += 1
                if assessment.isInjection { detected += 1 }
            } else {
                fileBenign += 1
                if assessment.isInjection { fileAlarms += 1 }
            }
            if verbose && assessment.isInjection != isMalicious {
                print(
                    "\(isMalicious ? "MISS" : "FALSE") \(assessment.score) \(assessment.evidence) \(row.text.prefix(140))"
                )
            }
        }
        var queries: [String] = []
        for path in benign { queries += try SafetyEvalCorpus.benignTexts(at: path) }
        var queryAlarms = 0
        for query in queries where detector.assess(query).isInjection {
            queryAlarms += 1
            if verbose { print("QUERY ALARM \(detector.assess(query).evidence) \(query)") }
        }
        let moderation = ModerationClassifier()
        var moderationFlags = 0
        var moderationAny = 0
        for query in queries {
            let assessment = moderation.assess(query)
            if assessment.severity > .none { moderationAny += 1 }
            if assessment.isFlagged { moderationFlags += 1 }
            if verbose && assessment.severity > .none {
                print("MODERATION \(assessment.severity) \(assessment.matches) \(query)")
            }
        }
        let chunks = try documentChunks()
        var documentFlags = 0
        for chunk in chunks {
            let assessment = detector.assess(chunk, source: .retrievedDocument)
            guard assessment.isInjection else { continue }
            documentFlags += 1
            if verbose { print("DOCUMENT ALARM \(assessment.evidence) \(chunk.prefix(140))") }
        }
        let allTexts = rows.map(\.text) + queries
        let clock = ContinuousClock()
        var flaggedCount = 0
        let elapsed = clock.measure {
            for text in allTexts where detector.assess(text).isInjection { flaggedCount += 1 }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let microseconds = seconds * 1e6 / Double(max(1, allTexts.count))

        func rate(_ part: Int, _ whole: Int) -> Double {
            whole == 0 ? 0 : (Double(part) / Double(whole) * 10_000).rounded() / 10_000
        }
        var table: [[String]] = byGroup.sorted { $0.key < $1.key }.map { group, counts in
            [
                group, String(counts.total), String(counts.flagged),
                String(format: "%.3f", rate(counts.flagged, counts.total)),
            ]
        }
        table.append([
            "DETECTION (malicious rows)", String(malicious), String(detected),
            String(format: "%.4f", rate(detected, malicious)),
        ])
        table.append([
            "FALSE ALARMS (benign rows of file)", String(fileBenign), String(fileAlarms),
            String(format: "%.4f", rate(fileAlarms, fileBenign)),
        ])
        table.append([
            "FALSE ALARMS (benign queries)", String(queries.count), String(queryAlarms),
            String(format: "%.4f", rate(queryAlarms, queries.count)),
        ])
        table.append([
            "Moderation: benign queries with any hit / flagged (medium+)", String(queries.count),
            "\(moderationAny) / \(moderationFlags)", String(format: "%.4f", rate(moderationFlags, queries.count)),
        ])
        if !documents.isEmpty {
            table.append([
                "FALSE ALARMS (document chunks, as retrieved passages)", String(chunks.count), String(documentFlags),
                String(format: "%.4f", rate(documentFlags, chunks.count)),
            ])
        }
        table.append(["µs per message", String(allTexts.count), "", String(format: "%.2f", microseconds)])
        let summary = Summary(
            detectionRate: rate(detected, malicious), falseAlarmRate: rate(queryAlarms, queries.count),
            falseAlarmRateFileBenign: rate(fileAlarms, fileBenign), maliciousRows: malicious,
            fileBenignRows: fileBenign, benignQueries: queries.count,
            usPerMessage: (microseconds * 100).rounded() / 100,
            moderationFlagRateBenign: rate(moderationFlags, queries.count), documentChunks: chunks.count,
            documentFlagRate: rate(documentFlags, chunks.count))
        try EvalReport(header: ["group (label / category)", "rows", "flagged", "rate"], rows: table, summary: summary)
            .print()
    }

    /// The chunks of every file named by --documents (folders read recursively), as ingestion would store them and
    /// the retrieval stage would screen them.
    private func documentChunks() throws -> [String] {
        var files: [URL] = []
        for path in documents {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw ValidationError("--documents: \(path) does not exist")
            }
            guard isFolder.boolValue else {
                files.append(URL(fileURLWithPath: path))
                continue
            }
            let walker = FileManager.default.enumerator(at: URL(fileURLWithPath: path), includingPropertiesForKeys: nil)
            while let file = walker?.nextObject() as? URL {
                if !file.hasDirectoryPath { files.append(file) }
            }
        }
        var chunks: [String] = []
        for file in files.sorted(by: { $0.path < $1.path }) {
            guard let data = try? Data(contentsOf: file),
                let (_, extracted) = try? DocumentExtractor.extract(data, filename: file.lastPathComponent)
            else { continue }  // not a document (an image, a style sheet): ingestion would refuse it too
            // What the retrieval stage screens of a passage: its title, its headings and its text, chunked as
            // ingestion chunks the file.
            func screened(_ title: String, _ textChunks: [TextChunk]) -> [String] {
                textChunks.map {
                    KnowledgeIngestor.embeddingText(title: title, headingPath: $0.headingPath, text: $0.text)
                }
            }
            let title = { (extracted: String?) in extracted ?? file.lastPathComponent }
            switch extracted {
            case .document(let name, .markdown(let markdown)):
                chunks += screened(title(name), Chunker.chunk(markdown: markdown))
            case .document(let name, .text(let text)):
                chunks += screened(title(name), Chunker.chunk(plainText: text))
            case .document(let name, .faq(let question, let answer)):
                chunks += screened(title(name), Chunker.chunk(faqQuestion: question, answer: answer))
            case .faq(let entries, _):
                for entry in entries {
                    chunks += screened(entry.question, Chunker.chunk(faqQuestion: entry.question, answer: entry.answer))
                }
            }
        }
        return chunks
    }
}
