import Foundation

extension ServerConfiguration {
    /// A value the server generates once and keeps in its data directory (the development secret, the replica's
    /// name): the stored text of file `name` when `isValid` accepts it, otherwise `make()`'s, written there first.
    ///
    /// With `ownerOnly` the file is readable by the server's user alone.
    func dataDirectoryValue(
        named name: String, ownerOnly: Bool = false, isValid: (String) -> Bool, make: () -> String
    ) throws -> String {
        let url = URL(fileURLWithPath: dataDirectory).appendingPathComponent(name)
        if let text = try? String(contentsOf: url, encoding: .utf8) {
            let stored = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if isValid(stored) { return stored }
        }
        let value = make()
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        try value.write(to: url, atomically: true, encoding: .utf8)
        if ownerOnly { try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path) }
        return value
    }
}
