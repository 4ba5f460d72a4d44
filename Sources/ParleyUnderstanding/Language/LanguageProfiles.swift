import Foundation

/// Character n-gram log-probabilities per language, parsed once from ``LanguageProfileData``.
struct LanguageProfiles: Sendable {
    /// Language codes; position is the column of ``logProbabilities``.
    let languages: [String]
    /// The script each language is written in.
    let scripts: [Script]
    /// Each n-gram's row in ``logProbabilities``, the n-gram keyed as ``packed(_:)`` packs it (no string per lookup).
    let packedRows: KeyTable
    /// Row-major table `rows × languages` of `log p(gram | language)`, with a floor for absent grams.
    let logProbabilities: [Float]

    /// The profiles shipped with the package.
    static let shipped = LanguageProfiles(text: LanguageProfileData.text)

    /// Parses the profile text format described in ``LanguageProfileData``.
    init(text: String) {
        var languages: [String] = []
        var totals: [[Double]] = []
        var counts: [[String: Double]] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("#") {
                let fields = line.dropFirst().split(separator: " ")
                languages.append(String(fields[0]))
                totals.append(fields.dropFirst().compactMap { Double($0) })
                counts.append([:])
                continue
            }
            guard !counts.isEmpty, let tab = line.firstIndex(of: "\t"),
                let count = Double(line[line.index(after: tab)...])
            else { continue }
            counts[counts.count - 1][String(line[..<tab]), default: 0] += count
        }
        var rows: [String: Int] = [:]
        for table in counts {
            for gram in table.keys where rows[gram] == nil { rows[gram] = rows.count }
        }
        let languageCount = languages.count
        // Floor for a gram a profile lacks: half the smallest probability that profile records for that length,
        // since langdetect's profiles drop grams below a frequency cut-off.
        var floors = [[Float]](repeating: [-20, -20, -20], count: languageCount)
        for (language, table) in counts.enumerated() {
            for length in 1...3 {
                let total = totals[language].indices.contains(length - 1) ? totals[language][length - 1] : 1
                let smallest = table.filter { $0.key.unicodeScalars.count == length }.values.min() ?? 1
                floors[language][length - 1] = Float(log(max(smallest, 1) * 0.5 / max(total, 1)))
            }
        }
        var table = [Float](repeating: 0, count: rows.count * languageCount)
        for (gram, row) in rows {
            let length = min(3, max(1, gram.unicodeScalars.count))
            for language in 0..<languageCount {
                let value: Float
                if let count = counts[language][gram] {
                    let total = totals[language].indices.contains(length - 1) ? totals[language][length - 1] : 1
                    value = Float(log(count / max(total, 1)))
                } else {
                    value = floors[language][length - 1]
                }
                table[row * languageCount + language] = value
            }
        }
        self.languages = languages
        self.scripts = languages.map { code in
            switch code {
            case "ru", "uk", "bg", "mk", "sr", "be", "kk": return .cyrillic
            case "ar", "fa", "ur", "ps": return .arabic
            default: return .latin
            }
        }
        self.packedRows = KeyTable(
            rows.compactMap { gram, row in Self.packed(gram.unicodeScalars).map { ($0, Int32(row)) } })
        self.logProbabilities = table
    }

    /// A gram of one to three scalars as one number: 21 bits a scalar, first scalar lowest; nil for longer grams.
    static func packed(_ scalars: some Collection<Unicode.Scalar>) -> UInt64? {
        guard (1...3).contains(scalars.count) else { return nil }
        var key: UInt64 = 0
        for (position, scalar) in scalars.enumerated() { key |= UInt64(scalar.value) << (21 * UInt64(position)) }
        return key
    }
}
