/// One version of a tenant's rule: its name, its version number and its Lua source.
public struct RuleProgram: Sendable, Equatable {
    /// The rule's name.
    public var name: RuleName
    /// The stored version (1, 2, ...); 0 for a rule that was never stored, such as a file under test.
    public var version: Int
    /// The Lua source.
    public var source: String

    /// Makes a program.
    public init(name: RuleName, version: Int, source: String) {
        self.name = name
        self.version = version
        self.source = source
    }

    /// The largest rule source the API accepts, in bytes.
    public static let maxSourceBytes = 64 * 1024
}
