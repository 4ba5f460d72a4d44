import Hummingbird

/// Serves the widget's files: the loader under a fixed URL with a short cache, the bundle under hashed URLs
/// cached for a year.
enum WidgetAssetRoutes {
    static let javaScript = "text/javascript; charset=utf-8"
    static let shortCache = "public, max-age=300"
    static let longCache = "public, max-age=31536000, immutable"

    static func register(_ api: APIRouter, assets: WidgetAssets) {
        api.on(
            .get, "/widget/loader.js", summary: "The widget loader the embed snippet loads", tag: "widget",
            access: .publicAccess
        ) { _, _ in
            file(assets.loader, type: javaScript, cache: shortCache)
        }
        api.on(
            .get, "/widget/b/:hash/widget.js", summary: "The widget's script (hashed URL)", tag: "widget",
            access: .publicAccess
        ) { _, context in
            file(assets.script, type: javaScript, cache: cache(for: context, assets: assets))
        }
        api.on(
            .get, "/widget/b/:hash/widget.css", summary: "The widget's styles (hashed URL)", tag: "widget",
            access: .publicAccess
        ) { _, context in
            file(assets.styles, type: "text/css; charset=utf-8", cache: cache(for: context, assets: assets))
        }
    }

    /// A year for the current hash; a stale hash (a loader cached before an upgrade) still gets the current
    /// files, cached briefly.
    private static func cache(for context: AppRequestContext, assets: WidgetAssets) -> String {
        context.parameters.get("hash") == assets.bundleHash ? longCache : shortCache
    }

    static func file(_ body: ByteBuffer, type: String, cache: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: type, .cacheControl: cache, .accessControlAllowOrigin: "*",
                .init("X-Content-Type-Options")!: "nosniff",
            ],
            body: .init(byteBuffer: body))
    }
}
