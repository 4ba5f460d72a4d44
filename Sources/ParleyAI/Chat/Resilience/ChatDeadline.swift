/// The instant by which the current turn must be answered, shared by every provider below a
/// ``DeadlineChatProvider``.
///
/// Wrappers read it to avoid starting work they cannot finish: ``RetryingChatProvider`` does not sleep past it nor
/// start an attempt after it, so a fallback provider still gets the rest of the budget.
public enum ChatDeadline {
    /// The deadline of the current task, if a ``DeadlineChatProvider`` (or the caller) set one.
    @TaskLocal public static var current: ContinuousClock.Instant?

    /// Time left before ``current``, or `nil` when there is no deadline.
    public static var remaining: Duration? {
        current.map { ContinuousClock.now.duration(to: $0) }
    }
}
