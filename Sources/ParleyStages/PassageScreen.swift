import ParleyCore
import ParleyKnowledge
import ParleyUnderstanding
import Synchronization

/// The injection detector's verdicts on retrieved passages, remembered by what the prompt would read of them.
///
/// A knowledge base's passages come back turn after turn, and a verdict depends on the text alone; the memory is keyed
/// by that text itself (never by a hash one could collide on purpose), shared by every tenant, and starts over once it
/// holds ``capacity`` verdicts.
public final class PassageScreen: Sendable {
    /// The screen every tenant shares.
    public static let shared = PassageScreen()

    private let detector = InjectionDetector()
    private let verdicts = Mutex<[String: Bool]>([:])
    /// Verdicts kept before the memory starts over.
    static let capacity = 4_096

    /// Whether `passage`, read as a retrieved document (its title and headings too, as the prompt shows them),
    /// carries instructions to the assistant.
    public func isInjection(_ passage: Passage) -> Bool {
        // The prompt shows a passage as it was embedded: title, headings, text.
        let text = KnowledgeIngestor.embeddingText(
            title: passage.title, headingPath: passage.headingPath, text: passage.text)
        if let known = verdicts.withLock({ $0[text] }) { return known }
        let verdict = detector.assess(text, source: .retrievedDocument).isInjection
        verdicts.withLock { verdicts in
            if verdicts.count >= Self.capacity { verdicts.removeAll(keepingCapacity: true) }
            verdicts[text] = verdict
        }
        return verdict
    }
}
