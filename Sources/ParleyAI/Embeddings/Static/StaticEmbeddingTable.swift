import Foundation

/// A static embedding model: one vector per vocabulary token, a text's vector being the mean of its tokens' vectors.
///
/// Made from a sentence encoder by ``StaticEmbeddingDistiller`` and kept in a file next to the encoder's, so it is
/// distilled once per model, not once per start. The file is the header `PARLEYSE`, a format version, the dimensions,
/// the token count and the source model's fingerprint, then the vectors as little-endian `Float32`.
public struct StaticEmbeddingTable: Sendable {
    /// The length of every vector.
    public let dimensions: Int
    /// The number of tokens, vectors included for each (zero for tokens a text never yields).
    public let tokens: Int
    /// The fingerprint of the model it was distilled from (``StaticEmbeddingDistiller/fingerprint(of:)``).
    public let fingerprint: String
    /// Token-major: the vector of token `t` is `vectors[t * dimensions ..< (t + 1) * dimensions]`.
    let vectors: [Float]

    private static let magic = Array("PARLEYSE".utf8)
    private static let formatVersion: UInt32 = 1

    /// A table of `vectors`, token-major, `dimensions` wide.
    init(vectors: [Float], dimensions: Int, fingerprint: String) {
        precondition(dimensions > 0 && vectors.count % dimensions == 0)
        self.vectors = vectors
        self.dimensions = dimensions
        self.tokens = vectors.count / dimensions
        self.fingerprint = fingerprint
    }

    /// The mean of the vectors of `ids` (ids outside the table are skipped); zeros when none is left.
    func mean(of ids: [Int32]) -> [Float] {
        var sum = [Float](repeating: 0, count: dimensions)
        var counted = 0
        vectors.withUnsafeBufferPointer { table in
            sum.withUnsafeMutableBufferPointer { sum in
                for id in ids where id >= 0 && Int(id) < tokens {
                    let row = Int(id) * dimensions
                    for column in 0..<dimensions { sum[column] += table[row + column] }
                    counted += 1
                }
            }
        }
        guard counted > 1 else { return sum }
        let scale = 1 / Float(counted)
        return sum.map { $0 * scale }
    }

    /// Writes the table to `url`, through a temporary file moved into place, so a reader never sees half a file.
    public func write(to url: URL) throws {
        var data = Data(Self.magic)
        func append(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        append(Self.formatVersion)
        append(UInt32(dimensions))
        append(UInt32(tokens))
        let fingerprintBytes = Array(fingerprint.utf8)
        append(UInt32(fingerprintBytes.count))
        data.append(contentsOf: fingerprintBytes)
        #if _endian(big)
            for value in vectors { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        #else
            vectors.withUnsafeBytes { data.append(contentsOf: $0) }
        #endif
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        try data.write(to: temporary)
        // rename(2) replaces an older table in one step.
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw EmbedderError.unreadableFile(path: url.path, reason: "cannot be written: \(reason)")
        }
    }

    /// Reads the table in `url`; nil when there is no such file, or it was made from another model or by another
    /// format; throws when the file is damaged.
    public static func read(from url: URL, fingerprint: String) throws -> StaticEmbeddingTable? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let data = try Data(contentsOf: url, options: .mappedIfSafe)
        var offset = 0
        func bytes(_ count: Int) throws -> Data {
            guard offset + count <= data.count else {
                throw EmbedderError.unreadableFile(path: url.path, reason: "cut short")
            }
            defer { offset += count }
            return data.subdata(in: offset..<offset + count)
        }
        func integer() throws -> Int {
            Int(UInt32(littleEndian: try bytes(4).withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }))
        }
        guard Array(try bytes(magic.count)) == magic, try integer() == Int(formatVersion) else { return nil }
        let dimensions = try integer()
        let tokens = try integer()
        let stored = String(decoding: try bytes(try integer()), as: UTF8.self)
        guard stored == fingerprint else { return nil }
        let (count, overflow) = dimensions.multipliedReportingOverflow(by: tokens)
        guard dimensions > 0, tokens > 0, !overflow, count <= (data.count - offset) / 4,
            data.count - offset == count * 4
        else {
            throw EmbedderError.unreadableFile(path: url.path, reason: "sizes do not match")
        }
        let body = try bytes(count * 4)
        let vectors = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            body.withUnsafeBytes { raw in _ = memcpy(buffer.baseAddress!, raw.baseAddress!, count * 4) }
            #if _endian(big)
                for index in 0..<count {
                    buffer[index] = Float(bitPattern: UInt32(littleEndian: buffer[index].bitPattern))
                }
            #endif
            initialized = count
        }
        return StaticEmbeddingTable(vectors: vectors, dimensions: dimensions, fingerprint: fingerprint)
    }
}
