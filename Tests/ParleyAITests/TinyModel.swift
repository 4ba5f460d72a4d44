import Foundation

/// Writes small BERT model directories, valid or broken on purpose, for the tests that need no real weights.
struct TinyModel {
    /// One tensor to write.
    struct Tensor {
        var name: String
        var shape: [Int]
        var dataType = "F32"
        var values: [Float]
    }

    var hidden = 8
    var heads = 2
    var intermediate = 16
    var positions = 8
    var vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "hello", "world", ",", "##s"]

    /// Every tensor of a one-layer encoder with deterministic pseudo-random values.
    func tensors() -> [Tensor] {
        var seed: UInt32 = 12_345
        func values(_ count: Int, around centre: Float = 0) -> [Float] {
            (0..<count).map { _ in
                seed = seed &* 1_664_525 &+ 1_013_904_223
                return centre + (Float(seed >> 8) / Float(1 << 24) - 0.5) * 0.4
            }
        }
        func tensor(_ name: String, _ shape: [Int], around centre: Float = 0) -> Tensor {
            Tensor(name: name, shape: shape, values: values(shape.reduce(1, *), around: centre))
        }
        var result = [
            tensor("embeddings.word_embeddings.weight", [vocabulary.count, hidden]),
            tensor("embeddings.position_embeddings.weight", [positions, hidden]),
            tensor("embeddings.token_type_embeddings.weight", [2, hidden]),
            tensor("embeddings.LayerNorm.weight", [hidden], around: 1),
            tensor("embeddings.LayerNorm.bias", [hidden]),
        ]
        let layer = "encoder.layer.0."
        for name in ["query", "key", "value"] {
            result.append(tensor(layer + "attention.self.\(name).weight", [hidden, hidden]))
            result.append(tensor(layer + "attention.self.\(name).bias", [hidden]))
        }
        result += [
            tensor(layer + "attention.output.dense.weight", [hidden, hidden]),
            tensor(layer + "attention.output.dense.bias", [hidden]),
            tensor(layer + "attention.output.LayerNorm.weight", [hidden], around: 1),
            tensor(layer + "attention.output.LayerNorm.bias", [hidden]),
            tensor(layer + "intermediate.dense.weight", [intermediate, hidden]),
            tensor(layer + "intermediate.dense.bias", [intermediate]),
            tensor(layer + "output.dense.weight", [hidden, intermediate]),
            tensor(layer + "output.dense.bias", [hidden]),
            tensor(layer + "output.LayerNorm.weight", [hidden], around: 1),
            tensor(layer + "output.LayerNorm.bias", [hidden]),
        ]
        return result
    }

    /// The safetensors bytes of `tensors`.
    static func safetensors(_ tensors: [Tensor]) -> Data {
        var header: [String: Any] = ["__metadata__": ["format": "pt"]]
        var body = Data()
        for tensor in tensors {
            let start = body.count
            for value in tensor.values {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { body.append(contentsOf: $0) }
            }
            header[tensor.name] = [
                "dtype": tensor.dataType, "shape": tensor.shape, "data_offsets": [start, body.count],
            ]
        }
        let json = try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        var data = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { data.append(contentsOf: $0) }
        return data + json + body
    }

    /// Writes the model into a new temporary directory, letting `edit` break the tensors first.
    func write(edit: (inout [Tensor]) -> Void = { _ in }) throws -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("parley-tiny-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config: [String: Any] = [
            "hidden_size": hidden, "num_attention_heads": heads, "num_hidden_layers": 1,
            "intermediate_size": intermediate, "max_position_embeddings": positions,
            "vocab_size": vocabulary.count, "type_vocab_size": 2, "layer_norm_eps": 1e-12, "hidden_act": "gelu",
        ]
        try JSONSerialization.data(withJSONObject: config).write(to: directory.appendingPathComponent("config.json"))
        try (vocabulary.joined(separator: "\n") + "\n").write(
            to: directory.appendingPathComponent("vocab.txt"), atomically: true, encoding: .utf8)
        var tensors = tensors()
        edit(&tensors)
        try Self.safetensors(tensors).write(to: directory.appendingPathComponent("model.safetensors"))
        return directory
    }
}
