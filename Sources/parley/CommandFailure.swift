/// A command that could not do its work, for a reason its arguments did not show: printed as `Error: <reason>`,
/// without the usage text that swift-argument-parser adds to a `ValidationError`.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
