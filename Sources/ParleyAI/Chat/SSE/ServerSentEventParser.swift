/// An incremental parser for `text/event-stream` bodies, following the WHATWG HTML "event stream interpretation".
///
/// Feed it the body in whatever pieces the network delivers; it returns the events completed by each piece.
/// Lines may end in CRLF, LF or CR (also when a CRLF is split across two pieces), a leading byte-order mark is
/// skipped, comment lines (`: keep-alive`) are ignored, several `data:` lines join with `\n`, and one space after the
/// colon is dropped. An event is dispatched on a blank line; an unfinished event at the end of the body is
/// discarded, as the specification requires.
public struct ServerSentEventParser: Sendable {
    /// The longest line accepted, in bytes, and the most data one event may gather over its lines; more fails the
    /// parse instead of growing memory without bound (an endpoint sending `data:` lines and never a blank one).
    public let maximumLineLength: Int

    private var line: [UInt8] = []
    private var skipNextLineFeed = false
    private var checkedByteOrderMark = false
    private var byteOrderMarkPrefix: [UInt8] = []
    private var eventType: String?
    private var data = ""
    private var hasData = false
    private var lastEventID: String?
    private var retry: Int?

    /// Creates a parser.
    public init(maximumLineLength: Int = 1 << 20) {
        self.maximumLineLength = maximumLineLength
    }

    /// The error thrown when a line, or an event's data, exceeds ``maximumLineLength``.
    public struct LineTooLong: Error, Sendable {}

    /// Consumes the next piece of the body and returns the events it completed, in order.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws(LineTooLong) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            if !checkedByteOrderMark {
                // A UTF-8 byte-order mark (EF BB BF) is skipped only at the very start of the stream.
                byteOrderMarkPrefix.append(byte)
                if Self.byteOrderMark.starts(with: byteOrderMarkPrefix) {
                    if byteOrderMarkPrefix.count == Self.byteOrderMark.count {
                        checkedByteOrderMark = true
                        byteOrderMarkPrefix = []
                    }
                    continue
                }
                checkedByteOrderMark = true
                let replay = byteOrderMarkPrefix
                byteOrderMarkPrefix = []
                for byte in replay { try process(byte, into: &events) }
                continue
            }
            try process(byte, into: &events)
        }
        return events
    }

    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    private mutating func process(_ byte: UInt8, into events: inout [ServerSentEvent]) throws(LineTooLong) {
        if skipNextLineFeed {
            skipNextLineFeed = false
            if byte == 0x0A { return }
        }
        if let event = try takeLine(ending: byte) { events.append(event) }
    }

    /// Handles one byte that is not a byte-order mark: appends it, or ends the line on CR or LF.
    private mutating func takeLine(ending byte: UInt8) throws(LineTooLong) -> ServerSentEvent? {
        switch byte {
        case 0x0D:
            skipNextLineFeed = true
            return endLine()
        case 0x0A:
            return endLine()
        default:
            guard line.count < maximumLineLength, data.utf8.count + line.count < maximumLineLength else {
                throw LineTooLong()
            }
            line.append(byte)
            return nil
        }
    }

    private mutating func endLine() -> ServerSentEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty { return dispatch() }
        if line.first == UInt8(ascii: ":") { return nil }
        let field: Substring
        var value: Substring
        let text = String(decoding: line, as: UTF8.self)
        if let colon = text.firstIndex(of: ":") {
            field = text[..<colon]
            value = text[text.index(after: colon)...]
            if value.first == " " { value = value.dropFirst() }
        } else {
            field = text[...]
            value = ""
        }
        switch field {
        case "event":
            eventType = String(value)
        case "data":
            if hasData { data += "\n" }
            data += value
            hasData = true
        case "id":
            if !value.contains("\0") { lastEventID = String(value) }
        case "retry":
            if !value.isEmpty, value.allSatisfy(\.isASCIIDigit) { retry = Int(value) }
        default:
            break
        }
        return nil
    }

    private mutating func dispatch() -> ServerSentEvent? {
        defer {
            eventType = nil
            data = ""
            hasData = false
            retry = nil
        }
        guard hasData else { return nil }
        let type = eventType.flatMap { $0.isEmpty ? nil : $0 }
        return ServerSentEvent(type: type, data: data, id: lastEventID, retry: retry)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
