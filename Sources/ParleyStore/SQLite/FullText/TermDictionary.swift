import Foundation

/// Index terms by number, in a hash table keyed by the terms' UTF-8 bytes.
///
/// Building an index so makes no `String` per token.
struct TermDictionary: Sendable {
    private var bytes: [UInt8] = []
    /// Where each term's bytes start in `bytes`; one more entry than terms, the last being the end.
    private var starts: [Int] = [0]
    private var hashes: [UInt64] = []
    /// Open addressing with linear probing: a term number, or -1 for an empty slot.
    private var slots = [Int32](repeating: -1, count: 1024)

    /// The number of terms.
    var count: Int { hashes.count }

    /// The number of `term`, adding it if it is new.
    mutating func number(of term: UnsafeRawBufferPointer) -> Int32 {
        let hash = Self.hash(term)
        var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while slots[slot] >= 0 {
            if matches(Int(slots[slot]), term, hash) { return slots[slot] }
            slot = (slot + 1) & (slots.count - 1)
        }
        let number = Int32(hashes.count)
        bytes.append(contentsOf: term)
        starts.append(bytes.count)
        hashes.append(hash)
        slots[slot] = number
        if hashes.count * 2 > slots.count { grow() }
        return number
    }

    /// The number of `term`, or nil when it is not in the dictionary.
    func number(of term: String) -> Int32? {
        var term = term
        return term.withUTF8 { utf8 in
            let raw = UnsafeRawBufferPointer(utf8)
            let hash = Self.hash(raw)
            var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
            while slots[slot] >= 0 {
                if matches(Int(slots[slot]), raw, hash) { return slots[slot] }
                slot = (slot + 1) & (slots.count - 1)
            }
            return nil
        }
    }

    private func matches(_ number: Int, _ term: UnsafeRawBufferPointer, _ hash: UInt64) -> Bool {
        guard hashes[number] == hash, starts[number + 1] - starts[number] == term.count else { return false }
        return bytes.withUnsafeBytes { stored in
            term.count == 0 || memcmp(stored.baseAddress! + starts[number], term.baseAddress!, term.count) == 0
        }
    }

    private mutating func grow() {
        var grown = [Int32](repeating: -1, count: slots.count * 2)
        for (number, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & (grown.count - 1)
            while grown[slot] >= 0 { slot = (slot + 1) & (grown.count - 1) }
            grown[slot] = Int32(number)
        }
        slots = grown
    }

    /// FNV-1a, 64 bits, finished with a multiply-shift mix so that the low bits, which pick the slot, are mixed.
    private static func hash(_ term: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in term {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return (hash ^ (hash >> 29)) &* 0xbf58_476d_1ce4_e5b9
    }
}
