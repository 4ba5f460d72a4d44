import Foundation
import Synchronization
import Testing

/// The JSON verdict printed by `lua-probe`.
struct ProbeVerdict: Decodable {
    let status: String
    let kind: String?
    let message: String?
    let line: Int?
    let log: [String]
    let value: String?
}

/// Runs scripts in the `lua-probe` child process, so a crash would kill the child, never the test host.
enum Probe {
    /// The built `lua-probe`, next to the test bundle.
    static let executable: URL? = {
        let fileManager = FileManager.default
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL.deletingLastPathComponent(),
            Bundle.main.bundleURL,
            URL(fileURLWithPath: fileManager.currentDirectoryPath).appendingPathComponent(".build/debug"),
        ]
        return candidates.map { $0.appendingPathComponent("lua-probe") }.first {
            fileManager.isExecutableFile(atPath: $0.path)
        }
    }()

    /// Serializes children: concurrently spawned children could inherit each other's pipe ends.
    private static let spawnLock = Mutex(())

    /// Runs `script` and returns the verdict; records an issue unless the child exits 0.
    ///
    /// The deadline defaults to 10 s so that a loaded test machine trips the instruction budget first;
    /// later `arguments` override it.
    static func run(_ script: String, arguments: [String] = []) throws -> ProbeVerdict {
        let executable = try #require(executable, "lua-probe must be built next to the test bundle")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("probe-\(UUID().uuidString).lua")
        try Data(script.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let (data, reason, status) = try spawnLock.withLock { _ in
            let process = Process()
            process.executableURL = executable
            process.arguments = ["--deadline-ms", "10000"] + arguments + [file.path]
            let output = Pipe()
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = output
            try process.run()
            let pid = process.processIdentifier
            let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
            DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            watchdog.cancel()
            return (data, process.terminationReason, process.terminationStatus)
        }
        #expect(reason == .exit, "lua-probe died from a signal (or hung and was killed)")
        #expect(status == 0)
        let line = try #require(String(decoding: data, as: UTF8.self).split(separator: "\n").last)
        return try JSONDecoder().decode(ProbeVerdict.self, from: Data(line.utf8))
    }

    /// Runs `script` and expects an error of the given kind.
    @discardableResult
    static func expectError(
        _ kind: String,
        _ script: String,
        arguments: [String] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> ProbeVerdict {
        let verdict = try run(script, arguments: arguments)
        #expect(verdict.status == "error", "\(verdict)", sourceLocation: sourceLocation)
        #expect(verdict.kind == kind, "\(verdict)", sourceLocation: sourceLocation)
        return verdict
    }

    /// Runs `script`, calls its `check` function and expects it to return `true`.
    static func expectTrue(_ script: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let verdict = try run(script, arguments: ["--call", "check"])
        #expect(verdict.status == "ok", "\(verdict)", sourceLocation: sourceLocation)
        #expect(verdict.value == "bool(true)", "\(verdict)", sourceLocation: sourceLocation)
    }
}
