/// The few parts of the DNS wire format (RFC 1035) that a TXT lookup needs.
enum DNSMessage {
    static let txtType: UInt16 = 16

    /// A recursive query for TXT records at `name`.
    static func txtQuery(id: UInt16, name: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes += be(id) + be(0x0100) + be(1) + be(0) + be(0) + be(0)  // RD set; one question
        for label in name.split(separator: ".") {
            let utf8 = Array(label.utf8)
            guard (1...63).contains(utf8.count) else { throw DNSLookupError(description: "invalid DNS name '\(name)'") }
            bytes.append(UInt8(utf8.count))
            bytes += utf8
        }
        bytes.append(0)
        bytes += be(txtType) + be(1)  // TXT, IN
        return bytes
    }

    /// The TXT strings of the answers in a response to `query`; nil when `bytes` is not that response.
    ///
    /// A response must carry the query's id and repeat its one question (name, type and class) byte for byte, as
    /// servers do: a forged answer then has to guess both the random id and the name asked.
    static func txtAnswers(_ bytes: [UInt8], to query: [UInt8]) -> [String]? {
        // The id (bytes 0-1), the question count (4-5) and the question itself (from byte 12) as asked.
        guard query.count > 12, bytes.count >= query.count, bytes[0..<2].elementsEqual(query[0..<2]),
            bytes[4..<6].elementsEqual(query[4..<6]), bytes[12..<query.count].elementsEqual(query[12...])
        else { return nil }
        var reader = Reader(bytes: bytes)
        guard reader.skip(2), let flags = reader.u16(), flags & 0x8000 != 0, let questions = reader.u16(),
            let answers = reader.u16(), reader.skip(4)
        else { return nil }
        let rcode = flags & 0x000F
        guard rcode == 0 || rcode == 3 else { return nil }  // NOERROR or NXDOMAIN
        for _ in 0..<questions {
            guard reader.skipName(), reader.skip(4) else { return nil }
        }
        var records: [String] = []
        for _ in 0..<answers {
            guard reader.skipName(), let type = reader.u16(), reader.skip(6), let length = reader.u16(),
                let data = reader.take(Int(length))
            else { return nil }
            guard type == txtType else { continue }
            var text: [UInt8] = []
            var index = 0
            while index < data.count {
                let count = Int(data[index])
                guard index + 1 + count <= data.count else { return nil }
                text += data[(index + 1)..<(index + 1 + count)]
                index += 1 + count
            }
            records.append(String(decoding: text, as: UTF8.self))
        }
        return records
    }

    private static func be(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        mutating func u16() -> UInt16? {
            guard offset + 2 <= bytes.count else { return nil }
            defer { offset += 2 }
            return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
        }

        mutating func skip(_ count: Int) -> Bool {
            guard offset + count <= bytes.count else { return false }
            offset += count
            return true
        }

        mutating func take(_ count: Int) -> [UInt8]? {
            guard offset + count <= bytes.count else { return nil }
            defer { offset += count }
            return Array(bytes[offset..<(offset + count)])
        }

        /// Skips a possibly compressed name.
        mutating func skipName() -> Bool {
            while offset < bytes.count {
                let length = bytes[offset]
                if length == 0 { return skip(1) }
                if length & 0xC0 == 0xC0 { return skip(2) }
                guard skip(1 + Int(length)) else { return false }
            }
            return false
        }
    }
}
