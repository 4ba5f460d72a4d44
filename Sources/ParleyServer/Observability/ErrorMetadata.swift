import Logging
import ParleyStore

extension Logger.Metadata {
    /// What a log line may say of `error`: its type and, for a database error, the codes and names that locate it
    /// (``StoreErrorDetails``), never a message that may quote a request's values.
    static func describing(_ error: any Error) -> Logger.Metadata {
        var metadata: Logger.Metadata = ["error": "\(String(reflecting: type(of: error)))"]
        for (key, value) in StoreErrorDetails.of(error) { metadata[key] = "\(value)" }
        return metadata
    }
}
