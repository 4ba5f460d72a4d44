/// How the redactor rewrites one detected value.
public enum RedactionMode: Sendable, Hashable {
    /// Replaces the value with its type tag, e.g. `[EMAIL]`.
    case tag
    /// Keeps the last four characters of numbers (`**** 4242`), the domain of e-mails, initials of names.
    case partial
    /// Replaces the value with a keyed hash, e.g. `[EMAIL:3f9a1c2b4d5e6f70]`; equal values hash equally.
    case hash
    /// Replaces the value with a numbered placeholder, e.g. `[CARD_1]`, restorable with `PlaceholderMap`.
    case placeholder
}
