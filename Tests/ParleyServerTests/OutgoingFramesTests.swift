import Testing

@testable import ParleyServer

/// The ceiling on frames waiting for a live connection's client.
@Suite("Outgoing frames")
struct OutgoingFramesTests {
    static func frame(_ text: String) -> LiveFrame {
        var frame = LiveFrame(type: "delta")
        frame.text = text
        return frame
    }

    @Test("frames past the ceiling are refused and reported; written frames make room again")
    func ceiling() async throws {
        let size = Self.frame("0123456789").json.utf8.count
        let queue = OutgoingFrames(limit: size * 3)
        var iterator = queue.frames.makeAsyncIterator()
        #expect(queue.send(Self.frame("0123456789")))
        #expect(queue.send(Self.frame("0123456789")))
        #expect(queue.send(Self.frame("0123456789")))
        // One written: room for one more.
        let first = await iterator.next()
        queue.written(try #require(first))
        #expect(queue.send(Self.frame("0123456789")))
        #expect(!queue.hasOverflowed)
        #expect(queue.send(Self.frame("0123456789")) == false)
        #expect(queue.hasOverflowed)
        await queue.overflowed()  // returns: the overflow was reported
        // Nothing more is taken, even once there is room.
        queue.written(try #require(await iterator.next()))
        #expect(queue.send(Self.frame("x")) == false)
    }

    @Test("one frame larger than the ceiling goes out when nothing else waits")
    func largeFrameOnAnEmptyQueue() async {
        let queue = OutgoingFrames(limit: 16)
        #expect(queue.send(Self.frame(String(repeating: "a", count: 1_000))))
        #expect(queue.send(Self.frame("b")) == false)
        #expect(queue.hasOverflowed)
    }
}
