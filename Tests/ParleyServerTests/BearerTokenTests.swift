import HTTPTypes
import Hummingbird
import Testing

@testable import ParleyServer

@Suite("Bearer tokens read from the Authorization header")
struct BearerTokenTests {
    static func token(_ header: String?) -> String? {
        var fields = HTTPFields()
        if let header { fields[.authorization] = header }
        let head = HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: "/", headerFields: fields)
        return Authenticator.bearer(Request(head: head, body: RequestBody(buffer: ByteBuffer())))
    }

    @Test("the scheme in any case, the token without the blanks around it")
    func accepted() {
        #expect(Self.token("Bearer abc.def") == "abc.def")
        #expect(Self.token("bearer abc") == "abc")
        #expect(Self.token("BEARER abc") == "abc")
        #expect(Self.token("BeArEr \t abc \t") == "abc")
        #expect(Self.token("Bearer é-token") == "é-token")
    }

    @Test("no header, another scheme, or no token is no bearer token")
    func refused() {
        #expect(Self.token(nil) == nil)
        #expect(Self.token("Basic YWJj") == nil)
        #expect(Self.token("Bearer") == nil)
        #expect(Self.token("Bearer ") == nil)
        #expect(Self.token("Bearer   \t") == nil)
        #expect(Self.token("Bearerabc") == nil)
        #expect(Self.token("Bear abc") == nil)
        #expect(Self.token("Bearer\tabc") == nil)
    }
}
