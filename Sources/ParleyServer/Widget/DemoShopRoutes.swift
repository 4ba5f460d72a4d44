import Hummingbird

/// The demo: a small fake shop (home, pricing, cart) with the real embed snippet for the demo tenant, so a new
/// user sees the widget, streaming and proactive triggers right after `parley serve`.
enum DemoShopRoutes {
    /// The widget key of the seeded demo tenant.
    static let widgetKey = "demo"

    /// Scripts from this server and the snippet's inline stub (by hash); nothing inline besides.
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self' \(EmbedSnippet.stubHashSource); style-src 'self' 'unsafe-inline'; "
        + "img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

    static func register(_ api: APIRouter, assets: WidgetAssets) {
        for (path, page) in [("/demo", "home"), ("/demo/pricing", "pricing"), ("/demo/cart", "cart")] {
            api.on(
                .get, path, summary: "The demo shop's \(page) page, with the widget", tag: "demo",
                access: .publicAccess
            ) { _, _ in
                Response(
                    status: .ok,
                    headers: [
                        .contentType: "text/html; charset=utf-8", .contentSecurityPolicy: contentSecurityPolicy,
                        .cacheControl: "no-cache",
                    ],
                    body: .init(byteBuffer: ByteBuffer(string: html(page, assets: assets))))
            }
        }
        api.on(
            .get, "/demo/demo.js", summary: "The demo shop's own script (the cart)", tag: "demo",
            access: .publicAccess
        ) { _, _ in
            WidgetAssetRoutes.file(
                assets.demoScript, type: WidgetAssetRoutes.javaScript, cache: WidgetAssetRoutes.shortCache)
        }
    }

    /// The page made from the template: its title, its static body and the snippet served from this origin.
    static func html(_ page: String, assets: WidgetAssets) -> String {
        let content = assets.demoPages[page] ?? DemoShopPage(title: "Demo", content: "")
        return assets.demoTemplate
            .replacingOccurrences(of: "{{TITLE}}", with: content.title)
            .replacingOccurrences(of: "{{CONTENT}}", with: content.content)
            .replacingOccurrences(of: "{{SNIPPET}}", with: EmbedSnippet.html(baseURL: "", widgetKey: widgetKey))
    }
}
