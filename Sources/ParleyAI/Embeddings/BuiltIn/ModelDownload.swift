import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore

/// Downloads the built-in embedder's files, checks each against its pinned SHA-256, and only then puts them in place.
///
/// A file is written to a temporary name beside its destination while its hash is computed; a wrong size or hash
/// deletes it and fails the pull, so the directory never holds a file that was not verified. Files already present
/// with the right hash are not fetched again.
public struct ModelDownload: Sendable {
    /// One file of the model: its name, its SHA-256 (hex) and its size in bytes.
    public struct File: Sendable {
        public var name: String
        public var sha256: String
        public var size: Int

        public init(name: String, sha256: String, size: Int) {
            self.name = name
            self.sha256 = sha256
            self.size = size
        }
    }

    /// Progress of one file: bytes so far and the total.
    public typealias Progress = @Sendable (_ file: String, _ received: Int, _ total: Int) -> Void

    /// all-MiniLM-L6-v2 as sentence-transformers publishes it on Hugging Face (the hashes are those of its LFS files).
    public static let miniLM = ModelDownload(
        baseURL: "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2/resolve/main",
        files: [
            File(
                name: "model.safetensors", sha256: "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
                size: 90_868_376),
            File(
                name: "vocab.txt", sha256: "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
                size: 231_508),
        ])

    public var baseURL: String
    public var files: [File]

    public init(baseURL: String, files: [File]) {
        self.baseURL = baseURL
        self.files = files
    }

    /// Why a pull failed.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Fetches every file into `directory` (created if needed); returns how many were downloaded.
    @discardableResult
    public func pull(into directory: URL, httpClient: HTTPClient = .shared, progress: Progress? = nil) async throws
        -> Int
    {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var fetched = 0
        for file in files {
            let destination = directory.appendingPathComponent(file.name)
            if (try? Self.sha256(of: destination)) == file.sha256 { continue }
            try await fetch(file, to: destination, httpClient: httpClient, progress: progress)
            fetched += 1
        }
        return fetched
    }

    private func fetch(_ file: File, to destination: URL, httpClient: HTTPClient, progress: Progress?) async throws {
        let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        let request = HTTPClientRequest(url: base + "/" + file.name)
        let response = try await httpClient.execute(request, timeout: .minutes(30))
        guard response.status == .ok else {
            throw Failure(description: "\(file.name): the server answered \(response.status.code)")
        }
        let partial = destination.appendingPathExtension("partial")
        FileManager.default.createFile(atPath: partial.path, contents: nil)
        let handle = try FileHandle(forWritingTo: partial)
        var hasher = SHA256()
        var received = 0
        var reported = -1
        do {
            for try await piece in response.body {
                received += piece.readableBytes
                guard received <= file.size else {
                    throw Failure(description: "\(file.name): larger than the expected \(file.size) bytes")
                }
                piece.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                try handle.write(contentsOf: Data(piece.readableBytesView))
                let percent = received * 100 / max(file.size, 1)
                if percent != reported {
                    reported = percent
                    progress?(file.name, received, file.size)
                }
            }
            try handle.close()
            let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
            guard received == file.size else {
                throw Failure(description: "\(file.name): \(received) bytes instead of \(file.size)")
            }
            guard digest == file.sha256 else {
                throw Failure(description: "\(file.name): SHA-256 \(digest) does not match the pinned \(file.sha256)")
            }
            _ = try? FileManager.default.removeItem(at: destination)
            try FileManager.default.moveItem(at: partial, to: destination)
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
    }

    /// The hex SHA-256 of a file, read in pieces.
    static func sha256(of url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let piece = try handle.read(upToCount: 1 << 20), !piece.isEmpty { hasher.update(data: piece) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
