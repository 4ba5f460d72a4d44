import Foundation
import ParleyCore
import Testing

@Suite("Hex strings")
struct HexStringTests {
    @Test("bytes are written as two lowercase digits each, as String(format: \"%02x\") writes them")
    func digits() {
        let bytes: [UInt8] = [0x00, 0x0F, 0x10, 0xAB, 0xFF, 0x7E]
        #expect(bytes.hexString == "000f10abff7e")
        #expect(bytes.hexString == bytes.map { String(format: "%02x", $0) }.joined())
        #expect([UInt8]().hexString == "")
    }
}
