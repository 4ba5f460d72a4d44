import Crypto
import Foundation
import NIOCore
import ParleyCore

/// The widget's files as the binary carries them, and the content hash that names the bundle's URLs.
///
/// The loader's URL never changes and is cached briefly; the bundle's URLs carry a hash of its content and are
/// cached for a year, so a new release reaches browsers as soon as their cached loader expires.
struct WidgetAssets: Sendable {
    let loader: ByteBuffer
    let script: ByteBuffer
    let styles: ByteBuffer
    /// The demo shop's page template, its pages and its script.
    let demoTemplate: String
    let demoPages: [String: DemoShopPage]
    let demoScript: ByteBuffer
    /// The first 16 hex digits of the SHA-256 of the script and the styles.
    let bundleHash: String

    /// The files compiled into this binary.
    static let embedded = WidgetAssets(
        loader: PackageResources.loader_js, script: PackageResources.widget_js, styles: PackageResources.widget_css,
        demoTemplate: PackageResources.demo_html, demoPages: PackageResources.demo_pages_json,
        demoScript: PackageResources.demo_js)

    init(
        loader: [UInt8], script: [UInt8], styles: [UInt8], demoTemplate: [UInt8], demoPages: [UInt8],
        demoScript: [UInt8]
    ) {
        self.loader = ByteBuffer(bytes: loader)
        self.script = ByteBuffer(bytes: script)
        self.styles = ByteBuffer(bytes: styles)
        self.demoTemplate = String(decoding: demoTemplate, as: UTF8.self)
        self.demoPages = (try? JSONDecoder().decode([String: DemoShopPage].self, from: Data(demoPages))) ?? [:]
        self.demoScript = ByteBuffer(bytes: demoScript)
        let digest = SHA256.hash(data: script + styles)
        bundleHash = digest.prefix(8).hexString
    }

    /// Where the bundle's script is served.
    var scriptPath: String { "/widget/b/\(bundleHash)/widget.js" }
    /// Where the bundle's styles are served.
    var stylesPath: String { "/widget/b/\(bundleHash)/widget.css" }
}
