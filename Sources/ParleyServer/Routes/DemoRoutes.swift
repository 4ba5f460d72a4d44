import Hummingbird

/// The demo page: a plain HTML page that talks to the chat API as the demo tenant's widget would.
enum DemoRoutes {
    static func register(_ api: APIRouter) {
        api.on(
            .get, "/demo", summary: "A demo page that chats with the demo tenant", tag: "demo", access: .publicAccess
        ) {
            _, _ in
            Response(
                status: .ok,
                headers: [
                    .contentType: "text/html; charset=utf-8",
                    .contentSecurityPolicy:
                        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'",
                ],
                body: .init(byteBuffer: ByteBuffer(string: DemoPage.html)))
        }
    }
}
