import ArgumentParser
import Foundation
import ParleyAI

/// `parley models`: the built-in embedding model's files.
struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models", abstract: "Manage the built-in embedding model.",
        subcommands: [Pull.self, Distill.self])

    /// Where `parley models pull` puts the model unless told otherwise.
    static var defaultDirectory: URL {
        FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/parley/models/all-MiniLM-L6-v2")
    }

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
            let directory = dir.map { URL(fileURLWithPath: $0) } ?? ModelsCommand.defaultDirectory
            let fetched: Int
            do {
                fetched = try await download.pull(into: directory) { file, received, total in
                    ProgressBar.draw(
                        done: received, of: total, "\(file) \(received / 1_048_576)/\(total / 1_048_576) MiB")
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

    /// `parley models distill`: makes the intent stage's static embeddings from the built-in model, with progress.
    struct Distill: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Distil the built-in model into the static token table the intent stage reads (about a minute, "
                + "once per model; the server does it at its first start otherwise); prints the table's path.")

        @Option(help: "The model directory (default: $PARLEY_EMBED_MODEL, else where `parley models pull` puts it).")
        var dir: String?

        func run() async throws {
            let directory =
                (dir ?? ProcessInfo.processInfo.environment["PARLEY_EMBED_MODEL"]).map { URL(fileURLWithPath: $0) }
                ?? ModelsCommand.defaultDirectory
            let started = ContinuousClock.now
            let embedder: StaticEmbedder
            do {
                let terminal = isatty(STDERR_FILENO) != 0
                embedder = try StaticEmbedderLoader.load(modelDirectory: directory, cacheDirectory: nil) {
                    done, total in
                    // A log, not a terminal: a line at each quarter rather than a bar redrawn 115 times.
                    if !terminal {
                        if done == total || done * 4 / total != (done - 256) * 4 / total {
                            FileHandle.standardError.write(Data("distilled \(done)/\(total) tokens\n".utf8))
                        }
                        return
                    }
                    ProgressBar.draw(done: done, of: total, "\(done)/\(total) tokens")
                }
            } catch {
                throw ValidationError("the static embeddings could not be made: \(error)")
            }
            guard let table = StaticEmbedderLoader.tableFile(of: directory),
                (try? StaticEmbeddingTable.read(from: table, fingerprint: embedder.fingerprint)) != nil
            else {
                throw ValidationError(
                    "the static embeddings were made but could not be written beside the model in \(directory.path)")
            }
            FileHandle.standardError.write(
                Data(
                    "\(embedder.model): \(embedder.dimensions) dimensions, ready in \(started.duration(to: .now))\n"
                        .utf8))
            print(table.path)
        }
    }
}
