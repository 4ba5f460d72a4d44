import Dispatch
import Foundation
import Synchronization

/// Finds or makes the static embedder of the built-in model: reads its table from a file, or distils it (tens of
/// seconds, once per model) and keeps it in a file for the next start.
///
/// The file is looked for in the model's own folder, then in `cacheDirectory` (the server's data folder); a new one
/// goes to the first of them that can be written. One process loads each model once, however many ask.
public enum StaticEmbedderLoader {
    /// The table's file name.
    public static let fileName = "parley-static-embeddings.bin"

    private static let loading = Mutex<[String: Task<StaticEmbedder, any Error>]>([:])

    /// The static embedder of the model in `modelDirectory` (or its `model` subfolder), loaded once per process.
    public static func shared(
        modelDirectory: URL, cacheDirectory: URL?, progress: StaticEmbeddingDistiller.Progress? = nil
    ) async throws -> StaticEmbedder {
        let key = modelDirectory.standardizedFileURL.path
        let task = loading.withLock { loading in
            if let task = loading[key] { return task }
            let task = Task {
                try await withCheckedThrowingContinuation { continuation in
                    // Distilling runs the encoder for tens of seconds: not on one of Swift concurrency's threads.
                    DispatchQueue.global(qos: .utility).async {
                        continuation.resume(
                            with: Result {
                                try load(
                                    modelDirectory: modelDirectory, cacheDirectory: cacheDirectory, progress: progress)
                            })
                    }
                }
            }
            loading[key] = task
            return task
        }
        do {
            return try await task.value
        } catch {
            loading.withLock { if $0[key] == task { $0[key] = nil } }
            throw error
        }
    }

    /// Loads (or distils and stores) the static embedder of the model in `modelDirectory`, on the calling thread.
    public static func load(
        modelDirectory: URL, cacheDirectory: URL?, progress: StaticEmbeddingDistiller.Progress? = nil
    ) throws -> StaticEmbedder {
        let directory = MiniLMEmbedder.modelFolder(in: modelDirectory)
        let fingerprint = try StaticEmbeddingDistiller.fingerprint(of: directory)
        let places = [directory] + (cacheDirectory.map { [$0] } ?? [])
        for place in places {
            if let table = try? StaticEmbeddingTable.read(
                from: place.appendingPathComponent(fileName), fingerprint: fingerprint)
            {
                let vocabulary = try WordPieceTokenizer.loadVocabulary(
                    from: directory.appendingPathComponent("vocab.txt"))
                let tokenizer = try BertTokenizer(
                    vocabulary: vocabulary.ids, maximumLength: StaticEmbedder.maximumPieces)
                guard table.tokens == vocabulary.tokens.count else { break }
                return StaticEmbedder(model: name(of: MiniLMEmbedder.modelName), tokenizer: tokenizer, table: table)
            }
        }
        let encoder = try MiniLMEmbedder(directory: directory)
        let table = StaticEmbeddingDistiller.distill(encoder, fingerprint: fingerprint, progress: progress)
        for place in places {
            do {
                try FileManager.default.createDirectory(at: place, withIntermediateDirectories: true)
                try table.write(to: place.appendingPathComponent(fileName))
                break
            } catch {
                continue  // a read-only model folder: try the next place; with none, distil again next time
            }
        }
        return StaticEmbedder(model: name(of: encoder.model), tokenizer: encoder.tokenizer, table: table)
    }

    /// The table file beside the model in `modelDirectory` (or its `model` subfolder), when there is one.
    public static func tableFile(of modelDirectory: URL) -> URL? {
        let file = MiniLMEmbedder.modelFolder(in: modelDirectory).appendingPathComponent(fileName)
        return FileManager.default.fileExists(atPath: file.path) ? file : nil
    }

    /// The static model's name, from its encoder's: its vectors are its own, never taken for the encoder's.
    public static func name(of encoder: String) -> String {
        encoder + "/static"
    }
}
