import Crypto
import Foundation

/// The HTML a tenant pastes into its pages: a command-queue stub and one async script tag.
enum EmbedSnippet {
    /// The inline stub that queues `Parley(...)` calls made before the widget has loaded.
    static let stub = "window.Parley=window.Parley||function(){(Parley.q=Parley.q||[]).push(arguments)};"

    /// The stub's hash as a Content-Security-Policy source, so pages can allow it without `'unsafe-inline'`.
    static let stubHashSource = "'sha256-\(Data(SHA256.hash(data: Data(stub.utf8))).base64EncodedString())'"

    /// The snippet for a widget served from `baseURL` (empty for the page's own origin).
    static func html(baseURL: String, widgetKey: String) -> String {
        let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        return """
            <script>\(stub)</script>
            <script async src="\(base)/widget/loader.js" data-parley-key="\(widgetKey)"></script>
            """
    }
}
