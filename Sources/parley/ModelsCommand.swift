import ArgumentParser
import Foundation
import ParleyAI

/// `parley models`: the built-in embedding model's files.
struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models", abstract: "Manage the built-in embedding model.", subcommands: [Pull.self])

    /// `parley models pull`: downloads all-MiniLM-L6-v2 with progress and checks every file's SHA-256.
    struct Pull: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download all-MiniLM-L6-v2 (model.safetensors, vocab.txt), verified by SHA-256; prints the "
                + "directory to set as PARLEY_EMBED_MODEL.")

        @Option(help: "Where to put the files (default: ~/.cache/parley/models/all-MiniLM-L6-v2).")
        var dir: String?

        @Option(help: "Where to download from: a URL holding the files (default: Hugging Face).")
        var from: String?

        func run() async throws {
            var download = ModelDownload.miniLM
            if let from { download.baseURL = from }
            let directory =
                dir.map { URL(fileURLWithPath: $0) }
                ?? FileManager.default.homeDirectoryForCurrentUser
                .appendingPathComponent(".cache/parley/models/all-MiniLM-L6-v2")
            let fetched: Int
            do {
                fetched = try await download.pull(into: directory) { file, received, total in
                    let filled = total == 0 ? 20 : received * 20 / total
                    let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 20 - filled)
                    FileHandle.standardError.write(
                        Data("\r[\(bar)] \(file) \(received / 1_048_576)/\(total / 1_048_576) MiB".utf8))
                    if received == total { FileHandle.standardError.write(Data("\n".utf8)) }
                }
            } catch {
                FileHandle.standardError.write(Data("\n".utf8))
                throw ValidationError("the model could not be pulled: \(error)")
            }
            FileHandle.standardError.write(
                Data(
                    "\(fetched) file(s) downloaded, \(download.files.count - fetched) already in place; verified.\n"
                        .utf8))
            print(directory.path)
        }
    }
}
