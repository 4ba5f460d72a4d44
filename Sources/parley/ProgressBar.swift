/// The progress bar the commands draw on standard error: 20 characters between brackets.
enum ProgressBar {
    /// `[#####...............]` for `done` of `total` (full when `total` is 0).
    static func text(done: Int, of total: Int) -> String {
        let filled = total <= 0 ? 20 : min(20, max(0, done * 20 / total))
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 20 - filled) + "]"
    }
}
