import Foundation

/// The sizes of a BERT encoder, read from the model's `config.json` and `sentence_bert_config.json`.
struct BertConfiguration: Sendable, Equatable {
    /// Width of every token vector.
    var hiddenSize = 384
    /// Number of attention heads; `hiddenSize` must be a multiple of it.
    var attentionHeads = 12
    /// Number of transformer layers.
    var layers = 6
    /// Width of the feed-forward layer.
    var intermediateSize = 1536
    /// Number of learned positions.
    var maximumPositions = 512
    /// Number of vocabulary entries.
    var vocabularySize = 30_522
    /// Number of token types (segments).
    var tokenTypes = 2
    /// Layer normalisation's epsilon.
    var layerNormEpsilon: Float = 1e-12
    /// Longest input in tokens, special tokens included; sentence-transformers truncates there.
    var maximumSequenceLength = 256

    /// The all-MiniLM-L6-v2 sizes, used for any value the configuration files leave out.
    static let miniLM = BertConfiguration()

    /// Reads the configuration files in `directory`; a missing file keeps the all-MiniLM-L6-v2 values.
    init(directory: URL) throws {
        let configURL = directory.appendingPathComponent("config.json")
        if let object = try Self.jsonObject(at: configURL) {
            func integer(_ key: String, _ value: inout Int) throws {
                guard let raw = object[key] else { return }
                guard let number = raw as? NSNumber, let exact = Int(exactly: number.doubleValue), exact > 0 else {
                    throw EmbedderError.invalidConfiguration(path: configURL.path, reason: "\(key) is not a count")
                }
                value = exact
            }
            try integer("hidden_size", &hiddenSize)
            try integer("num_attention_heads", &attentionHeads)
            try integer("num_hidden_layers", &layers)
            try integer("intermediate_size", &intermediateSize)
            try integer("max_position_embeddings", &maximumPositions)
            try integer("vocab_size", &vocabularySize)
            try integer("type_vocab_size", &tokenTypes)
            if let epsilon = object["layer_norm_eps"] {
                guard let number = epsilon as? NSNumber, number.doubleValue > 0 else {
                    throw EmbedderError.invalidConfiguration(path: configURL.path, reason: "layer_norm_eps")
                }
                layerNormEpsilon = number.floatValue
            }
            if let activation = object["hidden_act"] as? String, activation != "gelu" {
                throw EmbedderError.invalidConfiguration(
                    path: configURL.path, reason: "hidden_act \(activation) is not supported, only gelu")
            }
            if let kind = object["position_embedding_type"] as? String, kind != "absolute" {
                throw EmbedderError.invalidConfiguration(
                    path: configURL.path, reason: "position_embedding_type \(kind) is not supported")
            }
        }
        let sentenceURL = directory.appendingPathComponent("sentence_bert_config.json")
        if let object = try Self.jsonObject(at: sentenceURL), let raw = object["max_seq_length"] {
            guard let number = raw as? NSNumber, let length = Int(exactly: number.doubleValue), length >= 2 else {
                throw EmbedderError.invalidConfiguration(path: sentenceURL.path, reason: "max_seq_length")
            }
            maximumSequenceLength = length
        }
        maximumSequenceLength = min(maximumSequenceLength, maximumPositions)
        guard hiddenSize % attentionHeads == 0 else {
            throw EmbedderError.invalidConfiguration(
                path: configURL.path, reason: "hidden_size \(hiddenSize) is not a multiple of \(attentionHeads) heads")
        }
    }

    private init() {}

    /// The width of one attention head.
    var headSize: Int { hiddenSize / attentionHeads }

    private static func jsonObject(at url: URL) throws -> [String: Any]? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            let data = try Data(contentsOf: url)
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw EmbedderError.invalidConfiguration(path: url.path, reason: "not a JSON object")
            }
            return object
        } catch let error as EmbedderError {
            throw error
        } catch {
            throw EmbedderError.invalidConfiguration(path: url.path, reason: "not valid JSON")
        }
    }
}
