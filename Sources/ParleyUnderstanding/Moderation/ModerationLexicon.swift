/// Abuse terms with a category and base severity, in folded form (lower case, accents stripped).
///
/// Hand-written for Parley from common knowledge of English, German, French, Spanish, Italian and
/// Portuguese swearing; no third-party list is copied. Entries ending in `*` match as stems.
enum ModerationLexicon {
    /// One lexicon entry.
    struct Entry: Sendable {
        let term: String
        let category: ModerationCategory
        let severity: ModerationSeverity
    }

    private static func entries(_ terms: String, _ category: ModerationCategory, _ severity: ModerationSeverity)
        -> [Entry]
    {
        terms.split(separator: " ").map { Entry(term: String($0), category: category, severity: severity) }
    }

    /// Every single-word entry.
    static let all: [Entry] =
        entries(
            "damn dammit crap crappy bloody piss pissed sucks suck freaking frigging bollocks bugger arse wtf hell "
                + "dick screw omg",
            .profanity, .low)
        + entries(
            "fuck* fck fcking fuk fukin fuking shit* bullshit bitch* asshole* arsehole* bastard* dickhead prick "
                + "wanker twat douche* motherfuck* goddamn jackass dumbass stfu mierda joder gilipollas pendejo* "
                + "cabron* scheisse scheiss* arschloch wichser merde putain connard* cazzo stronzo* vaffanculo merda "
                + "coglione porra caralho foda",
            .profanity, .medium)
        + entries("cunt* hurensohn fotze salope encule* puttana", .profanity, .high)
        + entries(
            "idiot* stupid moron* dumb useless pathetic loser imbecile incompetent clown fool worthless garbage "
                + "trash scum jerk ignorant brainless halfwit cretin idiota estupido dummkopf blod abruti cretino "
                + "imbecil",
            .harassment, .low)
        + entries("retard retarded fag chink", .hate, .medium)
        + entries("nigger* nigga* faggot* tranny kike spic wetback towelhead raghead", .hate, .high)

    /// Words that are ordinary nouns or adjectives unless aimed at someone (`put the trash out` vs `you trash`).
    static let targetedOnly: Set<String> = [
        "trash", "garbage", "scum", "clown", "fool", "dumb", "useless", "pathetic", "ignorant", "jerk", "suck",
        "loser", "worthless", "incompetent",
    ]

    /// Entries by exact term; stems are kept separately.
    static let exact: [String: Entry] = Dictionary(
        all.filter { !$0.term.hasSuffix("*") }.map { ($0.term, $0) }, uniquingKeysWith: { first, _ in first })

    /// Stem entries (`fuck*`), with the trailing `*` removed.
    static let stems: [(stem: String, entry: Entry)] = all.filter { $0.term.hasSuffix("*") }.map {
        (String($0.term.dropLast()), $0)
    }

    /// The position in ``stems`` of each stem's first entry, to look a word's prefixes up rather than try every stem.
    static let stemPositions: [String: Int] = Dictionary(
        stems.enumerated().map { ($1.stem, $0) }, uniquingKeysWith: { first, _ in first })
    /// The lengths of the stems, in characters, shortest first.
    static let stemLengths: [Int] = Set(stems.map(\.stem.count)).sorted()

    /// The first entry of ``stems`` (in their order) whose stem begins `word`.
    static func firstStem(of word: String) -> Entry? {
        var first: Int?
        var end = word.startIndex
        var length = 0
        for wanted in stemLengths {
            while length < wanted, end < word.endIndex {
                word.formIndex(after: &end)
                length += 1
            }
            guard length == wanted else { break }
            if let position = stemPositions[String(word[..<end])], position < (first ?? .max) { first = position }
        }
        return first.map { stems[$0].entry }
    }

    /// Phrase rules for threats, self-harm incitement and targeted abuse.
    static let phrases: [ModerationPhraseRule<ModerationCategory>] = [
        ModerationPhraseRule(
            "threat.will-hurt", .threat, 3, gap: 3,
            [
                "i will|ill|i am going to|im going to|gonna|i ll|we will|i wanna|i want to",
                "kill|murder|hurt|beat|shoot|stab|strangle|destroy|burn|punch|smash|rape", "you|your|u|ur|ya|yourself",
            ]),
        ModerationPhraseRule(
            "threat.self-harm-incitement", .threat, 3, gap: 1,
            ["kill yourself|kys|go die|hope you die|you should die|deserve to die|drink bleach|neck yourself"]),
        ModerationPhraseRule(
            "threat.know-where", .threat, 3, gap: 1,
            ["i know where you live|i will find you|ill find you|watch your back"]),
        ModerationPhraseRule(
            "threat.multilingual", .threat, 3, gap: 2,
            [
                "te voy a matar|voy a matarte|ich bringe dich um|ich bring dich um|ich werde dich toten|je vais te tuer|ti ammazzo|ti uccido|vou te matar"
            ]),
        ModerationPhraseRule(
            "harassment.shut-up", .harassment, 2, gap: 0,
            ["shut up|shut the fuck up|piss off|fuck off|go to hell|screw you"]),
    ]
}
