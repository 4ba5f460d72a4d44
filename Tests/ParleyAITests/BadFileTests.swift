import Foundation
import Testing

@testable import ParleyAI

@Suite("model files, good and bad")
struct BadFileTests {
    private func expectError(
        _ directory: URL, _ matches: (EmbedderError) -> Bool, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            _ = try MiniLMEmbedder(directory: directory, parallelism: 1)
            Issue.record("loading succeeded", sourceLocation: sourceLocation)
        } catch let error as EmbedderError {
            #expect(matches(error), "unexpected error: \(error)", sourceLocation: sourceLocation)
            #expect(!error.description.isEmpty)
        } catch {
            Issue.record("not an EmbedderError: \(error)", sourceLocation: sourceLocation)
        }
    }

    private func replaceWeights(in directory: URL, with data: Data) throws {
        try data.write(to: directory.appendingPathComponent("model.safetensors"))
    }

    @Test("a tiny valid model loads and embeds to unit vectors", arguments: [8, 6])
    func tinyModel(hidden: Int) async throws {
        let directory = try TinyModel(hidden: hidden).write()
        defer { try? FileManager.default.removeItem(at: directory) }
        for parallelism in [1, 2] {
            let embedder = try MiniLMEmbedder(directory: directory, parallelism: parallelism)
            #expect(embedder.dimensions == hidden)
            #expect(embedder.tokenIDs("Hello, worlds") == [2, 4, 6, 5, 7, 3])
            #expect(embedder.tokenIDs("hello hello hello hello hello hello hello") == [2, 4, 4, 4, 4, 4, 4, 3])
            let vectors = try await embedder.embed(["hello world", "", "world, hello", "hello hello hello hello"])
            for vector in vectors {
                #expect(vector.count == hidden)
                let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
                #expect(abs(norm - 1) < 1e-5)
            }
            #expect(
                embedder.embed("hello world") == vectors[0]
                    || ExactnessTests.cosine(embedder.embed("hello world"), vectors[0]) > 0.99999)
        }
    }

    @Test("missing weights file")
    func missingWeights() throws {
        let directory = try TinyModel().write()
        try FileManager.default.removeItem(at: directory.appendingPathComponent("model.safetensors"))
        expectError(directory) {
            if case .missingFile(let path) = $0 { return path.hasSuffix("model.safetensors") }
            return false
        }
    }

    @Test("missing vocabulary")
    func missingVocabulary() throws {
        let directory = try TinyModel().write()
        try FileManager.default.removeItem(at: directory.appendingPathComponent("vocab.txt"))
        expectError(directory) {
            if case .missingFile(let path) = $0 { return path.hasSuffix("vocab.txt") }
            return false
        }
    }

    @Test("vocabulary without special tokens or of the wrong size")
    func badVocabulary() throws {
        var model = TinyModel()
        model.vocabulary[2] = "[NOTCLS]"
        expectError(try model.write()) {
            if case .invalidVocabulary(let path, _) = $0 { return path.hasSuffix("vocab.txt") }
            return false
        }
        let directory = try TinyModel().write()
        try "[PAD]\n[UNK]\n".write(to: directory.appendingPathComponent("vocab.txt"), atomically: true, encoding: .utf8)
        expectError(directory) {
            if case .invalidVocabulary = $0 { return true }
            return false
        }
    }

    @Test("truncated safetensors")
    func truncated() throws {
        let directory = try TinyModel().write()
        let url = directory.appendingPathComponent("model.safetensors")
        let data = try Data(contentsOf: url)
        for length in [0, 5, 20, data.count / 2, data.count - 1] {
            try replaceWeights(in: directory, with: data.prefix(length))
            expectError(try copy(directory)) {
                if case .invalidSafeTensors = $0 { return true }
                return false
            }
        }
        try? FileManager.default.removeItem(at: directory)
    }

    @Test("wrong header: not safetensors, not JSON, absurd length, bad offsets")
    func wrongHeader() throws {
        func header(_ json: String, body: Int = 0) -> Data {
            var data = Data()
            withUnsafeBytes(of: UInt64(json.utf8.count).littleEndian) { data.append(contentsOf: $0) }
            return data + Data(json.utf8) + Data(count: body)
        }
        var absurd = Data()
        withUnsafeBytes(of: UInt64.max.littleEndian) { absurd.append(contentsOf: $0) }
        let cases: [Data] = [
            Data("this is a text file, not a safetensors file at all".utf8),
            absurd + Data(count: 64),
            header("{not json"),
            header("[1, 2, 3]"),
            header(#"{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}"#, body: 4),
            header(#"{"a": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}"#, body: 8),
            header(#"{"a": {"dtype": "F32", "shape": [-2], "data_offsets": [0, 8]}}"#, body: 8),
            header(#"{"a": {"dtype": "F32", "shape": [2], "data_offsets": [8, 0]}}"#, body: 8),
            header(#"{"a": {"shape": [2], "data_offsets": [0, 8]}}"#, body: 8),
            header(#"{"a": "F32"}"#),
        ]
        for data in cases {
            let directory = try TinyModel().write()
            try replaceWeights(in: directory, with: data)
            expectError(directory) {
                if case .invalidSafeTensors = $0 { return true }
                return false
            }
        }
    }

    @Test("wrong tensor shape, missing tensor, unsupported data type")
    func wrongTensors() throws {
        expectError(
            try TinyModel().write { tensors in
                tensors[5].shape = [4, 16]
            }
        ) {
            if case .tensorShapeMismatch(let name, let expected, let actual) = $0 {
                return name == "encoder.layer.0.attention.self.query.weight" && expected == [8, 8] && actual == [4, 16]
            }
            return false
        }
        expectError(try TinyModel().write { $0.removeAll { $0.name.hasSuffix("intermediate.dense.bias") } }) {
            $0 == .missingTensor(name: "encoder.layer.0.intermediate.dense.bias")
        }
        expectError(try TinyModel().write { $0[3].dataType = "I32" }) {
            if case .unsupportedDataType(let name, "I32") = $0 { return name == "embeddings.LayerNorm.weight" }
            return false
        }
        expectError(try TinyModel().write { $0[3].dataType = "Q4" }) {
            if case .unsupportedDataType(_, "Q4") = $0 { return true }
            return false
        }
    }

    @Test("half-precision weights decode like single precision")
    func halfPrecision() {
        #expect(SafeTensors.halfToFloat(0x3C00) == 1)
        #expect(SafeTensors.halfToFloat(0xC000) == -2)
        #expect(SafeTensors.halfToFloat(0x0001) == Float(sign: .plus, exponent: -24, significand: 1))
        #expect(SafeTensors.halfToFloat(0x7C00) == .infinity)
        #expect(SafeTensors.halfToFloat(0x7E00).isNaN)
    }

    @Test("a missing directory and an unusable config.json")
    func missingDirectoryAndConfig() throws {
        expectError(URL(fileURLWithPath: "/nonexistent/parley-model")) {
            if case .missingFile = $0 { return true }
            return false
        }
        let directory = try TinyModel().write()
        try Data("{\"hidden_size\": \"big\"}".utf8).write(to: directory.appendingPathComponent("config.json"))
        expectError(directory) {
            if case .invalidConfiguration = $0 { return true }
            return false
        }
    }

    private func copy(_ directory: URL) throws -> URL {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("parley-tiny-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: directory, to: target)
        return target
    }
}
