import Foundation
import VaporCSQLite

/// The tokenizer of the knowledge full-text index (`knowledge_fts`): FTS5's Porter stemmer over unicode61 with
/// diacritics removed, so the in-memory index (``TermIndex``) and FTS5 make the same terms of the same text.
///
/// It is FTS5's own code, reached through the connection's `fts5_api`; like its connection, it is used by one thread
/// at a time.
final class FTS5Tokenizer {
    private var module: fts5_tokenizer
    private let instance: OpaquePointer

    /// The arguments of `knowledge_fts`'s `tokenize` option after `porter` (see the schema).
    static let arguments = ["unicode61", "remove_diacritics", "2"]

    /// Creates the tokenizer on `connection`.
    init(connection: OpaquePointer) throws {
        let api = try Self.api(of: connection)
        var userData: UnsafeMutableRawPointer?
        var module = fts5_tokenizer()
        guard api.pointee.xFindTokenizer?(api, "porter", &userData, &module) == SQLITE_OK, let create = module.xCreate
        else { throw SQLiteFailure(code: SQLITE_ERROR, message: "FTS5 has no porter tokenizer") }
        let arguments = Self.arguments.map { strdup($0) }
        defer { for argument in arguments { free(argument) } }
        var pointers: [UnsafePointer<CChar>?] = arguments.map { $0.map { UnsafePointer($0) } }
        var created: OpaquePointer?
        let status = pointers.withUnsafeMutableBufferPointer { buffer in
            create(userData, buffer.baseAddress, Int32(buffer.count), &created)
        }
        guard status == SQLITE_OK, let created else {
            throw SQLiteFailure(code: status, message: "cannot create the porter tokenizer")
        }
        self.module = module
        instance = created
    }

    deinit { module.xDelete?(instance) }

    /// Calls `body` with each term of `text`, in order, as UTF-8 bytes valid only during the call.
    func forEachTerm(of text: String, _ body: (UnsafeRawBufferPointer) -> Void) {
        withoutActuallyEscaping(body) { body in
            var sink = Sink(body: body)
            var text = text
            text.withUTF8 { bytes in
                bytes.withMemoryRebound(to: CChar.self) { chars in
                    withUnsafeMutablePointer(to: &sink) { context in
                        _ = module.xTokenize?(
                            instance, context, FTS5_TOKENIZE_DOCUMENT, chars.baseAddress, Int32(chars.count)
                        ) { context, _, token, length, _, _ in
                            guard let context, let token, length > 0 else { return SQLITE_OK }
                            context.assumingMemoryBound(to: Sink.self).pointee.body(
                                UnsafeRawBufferPointer(start: token, count: Int(length)))
                            return SQLITE_OK
                        }
                    }
                }
            }
        }
    }

    /// The terms of `text`, in order.
    func terms(of text: String) -> [String] {
        var terms: [String] = []
        forEachTerm(of: text) { terms.append(String(decoding: $0, as: UTF8.self)) }
        return terms
    }

    /// The callback's context: the caller's closure.
    private struct Sink {
        var body: (UnsafeRawBufferPointer) -> Void
    }

    /// The connection's FTS5 API, from `SELECT fts5(?1)`.
    private static func api(of connection: OpaquePointer) throws -> UnsafeMutablePointer<fts5_api> {
        var found: UnsafeMutablePointer<fts5_api>?
        var statement: OpaquePointer?
        guard sqlite_nio_sqlite3_prepare_v2(connection, "SELECT fts5(?1)", -1, &statement, nil) == SQLITE_OK else {
            throw SQLiteFailure(code: SQLITE_ERROR, message: "FTS5 is not available")
        }
        defer { sqlite_nio_sqlite3_finalize(statement) }
        // SQLite keeps the pointer's type name until the step, so both happen while the name is alive.
        "fts5_api_ptr".withCString { type in
            withUnsafeMutablePointer(to: &found) { slot in
                _ = sqlite_nio_sqlite3_bind_pointer(statement, 1, slot, type, nil)
                _ = sqlite_nio_sqlite3_step(statement)
            }
        }
        guard let found else { throw SQLiteFailure(code: SQLITE_ERROR, message: "FTS5 is not available") }
        return found
    }
}
