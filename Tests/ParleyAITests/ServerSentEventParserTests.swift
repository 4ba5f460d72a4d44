import Testing

@testable import ParleyAI

@Suite struct ServerSentEventParserTests {
    private func parse(_ pieces: [String]) throws -> [ServerSentEvent] {
        var parser = ServerSentEventParser()
        return try pieces.flatMap { try parser.feed(Array($0.utf8)) }
    }

    @Test func dispatchesOnBlankLineWithEveryLineEnding() throws {
        for ending in ["\n", "\r\n", "\r"] {
            let events = try parse(["data: one\(ending)\(ending)data: two\(ending)\(ending)"])
            #expect(events.map(\.data) == ["one", "two"], "line ending \(ending.debugDescription)")
        }
    }

    @Test func handlesCRLFSplitAcrossPieces() throws {
        let events = try parse(["data: a\r", "\n\r", "\ndata: b\r\n", "\r\n"])
        #expect(events.map(\.data) == ["a", "b"])
    }

    @Test func joinsMultiLineDataAndIgnoresComments() throws {
        let events = try parse([": keep-alive\n\ndata: {\"a\":\ndata:1}\n: comment inside\n\n"])
        #expect(events.map(\.data) == ["{\"a\":\n1}"])
    }

    @Test func dropsOnlyOneSpaceAfterTheColon() throws {
        let events = try parse(["data:tight\n\ndata:  two spaces\n\ndata\n\n"])
        #expect(events.map(\.data) == ["tight", " two spaces", ""])
    }

    @Test func readsEventIDAndRetryFields() throws {
        let events = try parse(["event: error\nid: 7\nretry: 1500\ndata: x\n\ndata: y\n\n"])
        #expect(events[0] == ServerSentEvent(type: "error", data: "x", id: "7", retry: 1500))
        #expect(events[1] == ServerSentEvent(type: nil, data: "y", id: "7", retry: nil))
    }

    @Test func skipsLeadingByteOrderMarkOnly() throws {
        let events = try parse(["\u{FEFF}data: a\n\ndata: \u{FEFF}b\n\n"])
        #expect(events.map(\.data) == ["a", "\u{FEFF}b"])
    }

    @Test func feedingByteByByteGivesTheSameEvents() throws {
        let body = "data: {\"choices\":[{\"delta\":{\"content\":\"héllo 👋\"}}]}\r\n\r\ndata: [DONE]\r\n\r\n"
        var parser = ServerSentEventParser()
        var events: [ServerSentEvent] = []
        for byte in body.utf8 { events += try parser.feed([byte]) }
        #expect(events.map(\.data) == ["{\"choices\":[{\"delta\":{\"content\":\"héllo 👋\"}}]}", "[DONE]"])
    }

    @Test func discardsAnUnfinishedEventAtTheEnd() throws {
        #expect(try parse(["data: complete\n\ndata: cut"]).map(\.data) == ["complete"])
    }

    @Test func refusesOverlongLines() {
        var parser = ServerSentEventParser(maximumLineLength: 8)
        #expect(throws: ServerSentEventParser.LineTooLong.self) { try parser.feed(Array("data: 123456789".utf8)) }
    }

    @Test func refusesAnEventThatNeverEnds() throws {
        // Short lines, each within the limit, gathered into one event because no blank line comes.
        var parser = ServerSentEventParser()
        let line = Array(("data: " + String(repeating: "x", count: 1_024) + "\n").utf8)
        #expect(throws: ServerSentEventParser.LineTooLong.self) {
            for _ in 0..<2_048 { _ = try parser.feed(line) }
        }
        var small = ServerSentEventParser(maximumLineLength: 64)
        #expect(try small.feed(Array("data: a\ndata: b\n\n".utf8)).map(\.data) == ["a\nb"])
    }
}
