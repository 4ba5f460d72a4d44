/// When SQLite commits reach the disk (`PRAGMA synchronous` in WAL mode).
public enum SQLiteDurability: String, Sendable, CaseIterable {
    /// A committed write survives a crash of the process; the last commits can be lost on power loss or an OS
    /// crash. No disk flush per commit. The default.
    case normal
    /// Every commit is flushed to disk before it is acknowledged, so it survives power loss too; each commit
    /// waits for the disk.
    case full
}
