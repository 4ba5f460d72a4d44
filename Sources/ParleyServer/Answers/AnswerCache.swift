import Foundation
import Metrics
import ParleyCore

/// Model answers to common questions, kept for a while so a repeated FAQ costs no model call.
///
/// An entry is keyed by tenant, the normalised question, the visitor's language, the tenant's knowledge version and
/// the generation of its assistant settings: any change to the knowledge or the persona makes earlier answers
/// unreachable. Only first questions of a conversation
/// are cached (a follow-up depends on what came before), and only complete answers. Entries expire after `ttl`;
/// when the cache is full the oldest entry goes. Lookups are counted in `parley_answer_cache_lookups_total{result}`
/// and the running hit rate is the gauge `parley_answer_cache_hit_ratio`.
actor AnswerCache {
    /// What an entry is found by.
    struct Key: Hashable, Sendable {
        var tenant: TenantID
        var question: String
        var language: String?
        var knowledgeVersion: Int
        var settingsGeneration: Int
    }

    private struct Entry {
        var answer: GeneratedAnswer
        var expires: ContinuousClock.Instant
    }

    let ttl: Duration
    let capacity: Int
    private var entries: [Key: Entry] = [:]
    private var order: [Key] = []
    private var hits = 0
    private var lookups = 0
    private let hitCounter = Counter(label: "parley_answer_cache_lookups_total", dimensions: [("result", "hit")])
    private let missCounter = Counter(label: "parley_answer_cache_lookups_total", dimensions: [("result", "miss")])
    private let ratio = Gauge(label: "parley_answer_cache_hit_ratio")

    init(ttl: Duration = .seconds(3_600), capacity: Int = 10_000) {
        self.ttl = ttl
        self.capacity = max(capacity, 1)
    }

    /// The key of a question: lowercased, accents and punctuation dropped, spaces collapsed.
    static func key(
        tenant: TenantID, question: String, language: String?, knowledgeVersion: Int, settingsGeneration: Int
    ) -> Key {
        let folded = question.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
        let words = folded.split { !$0.isLetter && !$0.isNumber }
        return Key(
            tenant: tenant, question: words.joined(separator: " "), language: language,
            knowledgeVersion: knowledgeVersion, settingsGeneration: settingsGeneration)
    }

    /// The cached answer, if one is fresh; counts the lookup.
    func answer(for key: Key) -> GeneratedAnswer? {
        lookups += 1
        var found: GeneratedAnswer?
        if let entry = entries[key] {
            if entry.expires > .now {
                found = entry.answer
            } else {
                entries[key] = nil
            }
        }
        if found != nil {
            hits += 1
            hitCounter.increment()
        } else {
            missCounter.increment()
        }
        ratio.record(Double(hits) / Double(lookups))
        return found
    }

    /// Keeps a complete answer.
    func store(_ answer: GeneratedAnswer, for key: Key) {
        guard !answer.interrupted, !answer.text.isEmpty else { return }
        if entries[key] == nil {
            order.append(key)
            while entries.count >= capacity, !order.isEmpty {
                entries[order.removeFirst()] = nil
            }
        }
        entries[key] = Entry(answer: answer, expires: .now + ttl)
        if order.count > capacity * 2 { order = order.filter { entries[$0] != nil } }
    }

    /// The share of lookups that found an answer, since the cache was made.
    var hitRate: Double { lookups == 0 ? 0 : Double(hits) / Double(lookups) }
}
