import Foundation
import NIOHTTP1
import Testing

@testable import ParleyAI

@Suite struct RetryAfterTests {
    private let now = Date(timeIntervalSince1970: 784_111_770)  // Sun, 06 Nov 1994 08:49:30 GMT

    @Test func readsDeltaSeconds() {
        #expect(RetryAfter.parse(HTTPHeaders([("Retry-After", "2")]), now: now) == .seconds(2))
        #expect(RetryAfter.parse(HTTPHeaders([("Retry-After", " 0 ")]), now: now) == .zero)
    }

    @Test func readsHTTPDatesInAllThreeForms() {
        for date in ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"] {
            #expect(RetryAfter.parse(HTTPHeaders([("Retry-After", date)]), now: now) == .seconds(7), "\(date)")
        }
    }

    @Test func aDateInThePastMeansNow() {
        let headers = HTTPHeaders([("Retry-After", "Sun, 06 Nov 1994 08:00:00 GMT")])
        #expect(RetryAfter.parse(headers, now: now) == .zero)
    }

    @Test func prefersRetryAfterMilliseconds() {
        let headers = HTTPHeaders([("Retry-After", "20"), ("retry-after-ms", "350")])
        #expect(RetryAfter.parse(headers, now: now) == .milliseconds(350))
    }

    @Test func ignoresGarbage() {
        #expect(RetryAfter.parse(HTTPHeaders([("Retry-After", "soon")]), now: now) == nil)
        #expect(RetryAfter.parse(HTTPHeaders([("Retry-After", "-3")]), now: now) == nil)
        #expect(RetryAfter.parse(HTTPHeaders(), now: now) == nil)
    }
}
