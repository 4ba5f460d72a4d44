import Foundation

/// The progress bar the commands draw on standard error: 20 characters between brackets.
enum ProgressBar {
    /// Redraws the bar with `label` on the current line of standard error, and ends the line once `done` reaches
    /// `total`.
    static func draw(done: Int, of total: Int, _ label: String) {
        FileHandle.standardError.write(Data("\r\(text(done: done, of: total)) \(label)".utf8))
        if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    /// `[#####...............]` for `done` of `total` (full when `total` is 0).
    static func text(done: Int, of total: Int) -> String {
        let filled = total <= 0 ? 20 : min(20, max(0, done * 20 / total))
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 20 - filled) + "]"
    }
}
