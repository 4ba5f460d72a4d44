import ArgumentParser
import Foundation
import Logging
import ParleyAI
import ParleyCore
import ParleyKnowledge
import ParleyServer
import ParleyStore

/// `parley ingest`: adds files and folders to a tenant's knowledge base, with a line of progress per file.
///
/// Works on the database directly, so it runs with or without a server; a running server's search sees the new
/// documents at its next query (the knowledge version changes). Each file is read like an upload: PDF, Word,
/// HTML, Markdown, plain text, and `question,answer` CSV as FAQ entries, told apart by their bytes.
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest", abstract: "Add files or folders (read recursively) to a tenant's knowledge base.")

    @OptionGroup var options: ServerOptions

    @Option(help: "The tenant: its id or its widget key.")
    var tenant: String

    @Option(help: "An http(s) URL the answers cite for every file (default: none).")
    var url: String?

    @Argument(help: "Files or folders.")
    var paths: [String]

    /// The largest file read.
    static let maxBytes = 20 << 20

    func validate() throws {
        if let url, !(url.hasPrefix("https://") || url.hasPrefix("http://")) {
            throw ValidationError("--url must be an http or https URL")
        }
        if paths.isEmpty { throw ValidationError("name at least one file or folder") }
    }

    func run() async throws {
        let configuration = try options.configuration()
        let logger = Logger(label: "parley.ingest")
        let files = try Self.files(in: paths)
        guard !files.isEmpty else { throw ValidationError("no files found in \(paths.joined(separator: ", "))") }
        try await configuration.withStore(logger: logger) { store in
            try await store.migrate()
            let owner: Tenant
            if let byID = try await store.tenants.get(TenantID(tenant)) {
                owner = byID
            } else if let byKey = try await store.tenants.find(widgetKey: tenant) {
                owner = byKey
            } else {
                throw CommandFailure("no tenant has the id or widget key '\(tenant)'")
            }
            // The tenant's embedder as the server chooses it, so that one knowledge base never mixes two models' vectors.
            let embedder = try await Embedders.forTenant(
                owner.id, store: store, configuration: configuration, logger: logger)
            if embedder == nil { print("No embedding model for this tenant: documents are searchable lexically only.") }
            let ingestor = KnowledgeIngestor(store: store.knowledge, embedder: embedder)
            var failed = 0
            var chunks = 0
            let started = ContinuousClock.now
            for (index, file) in files.enumerated() {
                let outcome: String
                do {
                    let (text, stored) = try await ingest(file.url, key: file.key, into: owner.id, with: ingestor)
                    outcome = text
                    chunks += stored
                } catch {
                    failed += 1
                    outcome = "failed: \(error)"
                }
                print(
                    "\(ProgressBar.text(done: index + 1, of: files.count)) \(index + 1)/\(files.count) \(file.url.path): \(outcome)"
                )
            }
            let elapsed = (ContinuousClock.now - started).components
            let seconds = max(0.001, Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
            print("\(files.count - failed) of \(files.count) files ingested into \(owner.name).")
            print(
                String(
                    format: "%d chunks stored in %.1f s: %.1f files/s, %.0f chunks/s", chunks, seconds,
                    Double(files.count - failed) / seconds, Double(chunks) / seconds))
            if failed > 0 { throw ExitCode(1) }
        }
    }

    /// Reads, extracts and stores one file; says what happened, and how many chunks were stored.
    private func ingest(_ file: URL, key: String, into tenant: TenantID, with ingestor: KnowledgeIngestor)
        async throws -> (String, Int)
    {
        let size = try file.resourceValues(forKeys: [.fileSizeKey]).fileSize ?? 0
        guard size <= Self.maxBytes else { throw ExtractionError("larger than \(Self.maxBytes >> 20) MiB") }
        let data = try Data(contentsOf: file)
        let (format, extracted) = try DocumentExtractor.extract(data, filename: file.lastPathComponent)
        let outcome = try await ingestor.ingest(
            extracted, filename: file.lastPathComponent, title: nil, sourceKey: key, url: url, tenant: tenant)
        let stored = outcome.results.reduce(0) { total, result in
            if case .unchanged = result { return total }
            return total + result.document.chunkCount
        }
        if case .faq = extracted {
            let changed = outcome.results.filter { if case .unchanged = $0 { false } else { true } }.count
            return (
                "\(outcome.results.count) FAQ entries, \(changed) new or changed, \(outcome.skipped) rows skipped (csv)",
                stored
            )
        }
        return (outcome.results.map(Self.describe).joined(separator: ", ") + " (\(format.rawValue))", stored)
    }

    private static func describe(_ result: KnowledgeStoreResult) -> String {
        switch result {
        case .created(let document): "created, \(document.chunkCount) chunks"
        case .replaced(let document, let previous): "replaced version \(previous), \(document.chunkCount) chunks"
        case .unchanged: "unchanged"
        }
    }

    /// The files named, with folders read recursively (hidden files and folders skipped), in a stable order, each
    /// with its source key: its path within the folder named (so `a/index.html` and `b/index.html` stay two
    /// documents), or its name.
    static func files(in paths: [String]) throws -> [(url: URL, key: String)] {
        var files: [(url: URL, key: String)] = []
        for path in paths {
            let url = URL(fileURLWithPath: path)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
                throw ValidationError("\(path) does not exist")
            }
            guard isDirectory.boolValue else {
                files.append((url, url.lastPathComponent))
                continue
            }
            let walker = FileManager.default.enumerator(
                at: url, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
            var found: [URL] = []
            while let next = walker?.nextObject() as? URL {
                if (try? next.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true { found.append(next) }
            }
            let root = url.standardizedFileURL.path + "/"
            files += found.sorted { $0.path < $1.path }.map { file in
                let path = file.standardizedFileURL.path
                return (file, path.hasPrefix(root) ? String(path.dropFirst(root.count)) : file.lastPathComponent)
            }
        }
        return files
    }
}
