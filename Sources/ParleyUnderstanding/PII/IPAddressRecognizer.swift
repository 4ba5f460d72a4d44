/// Finds IPv4 dotted quads and IPv6 addresses (full, `::`-compressed, and with an embedded IPv4 tail).
struct IPAddressRecognizer: Sendable {
    /// Returns every IP address in the text.
    func recognize(_ text: PIITextScanner) -> [PIISpan] {
        var spans: [PIISpan] = []
        var index = 0
        while index < text.count {
            let scalar = text.scalars[index]
            guard PIITextScanner.isHexDigit(scalar) || scalar == ":", Self.isBoundary(text, index - 1) else {
                index += 1
                continue
            }
            var end = index
            while end < text.count {
                let next = text.scalars[end]
                guard PIITextScanner.isHexDigit(next) || next == ":" || next == "." else { break }
                end += 1
            }
            // The longest textual address (IPv6 with an IPv4 tail) has 45 characters; longer runs are not one.
            if text.isLetter(end) || text.isDigit(end) || end - index > 45 {
                index = end
                continue
            }
            if let matchEnd = Self.longestAddress(text, index..<end) {
                spans.append(text.span(.ipAddress, index..<matchEnd))
                index = matchEnd
            } else {
                index = max(end, index + 1)
            }
        }
        return spans
    }

    private static func isBoundary(_ text: PIITextScanner, _ index: Int) -> Bool {
        guard let scalar = text.at(index) else { return true }
        return !(text.isAlphanumeric(index) || scalar == ":" || scalar == ".")
    }

    /// Tries the run, then the run without trailing dots or colons.
    private static func longestAddress(_ text: PIITextScanner, _ range: Range<Int>) -> Int? {
        var end = range.upperBound
        while end > range.lowerBound {
            let candidate = text.string(range.lowerBound..<end)
            if isIPv4(candidate) || isIPv6(candidate) { return end }
            let last = text.scalars[end - 1]
            guard last == "." || last == ":" else { return nil }
            end -= 1
        }
        return nil
    }

    /// Returns true for a dotted quad with each part 0–255 and no leading zeros.
    static func isIPv4(_ candidate: String) -> Bool {
        let parts = candidate.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { part in
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCII), let value = Int(part) else { return false }
            return value <= 255 && (part.count == 1 || part.first != "0")
        }
    }

    /// Returns true for an RFC 4291 textual IPv6 address.
    static func isIPv6(_ candidate: String) -> Bool {
        guard candidate.contains(":"), candidate.count >= 2 else { return false }
        let halves = splitOnDoubleColon(candidate)
        guard halves.count <= 2 else { return false }
        func groups(_ part: String) -> [Substring]? {
            part.isEmpty ? [] : part.split(separator: ":", omittingEmptySubsequences: false)
        }
        guard let head = groups(halves[0]) else { return false }
        let tail = halves.count == 2 ? (groups(halves[1]) ?? []) : []
        var all = head + tail
        var groupCount = all.count
        if let last = all.last, last.contains(".") {
            guard isIPv4(String(last)) else { return false }
            all.removeLast()
            groupCount += 1
        }
        let hexOK = all.allSatisfy { group in
            (1...4).contains(group.count) && group.unicodeScalars.allSatisfy(PIITextScanner.isHexDigit)
        }
        guard hexOK else { return false }
        if halves.count == 2 {
            // A compressed form needs at least two groups (or the loopback `::1`) to stand out from prose.
            return groupCount <= 7 && (groupCount >= 2 || (candidate.hasPrefix("::") && groupCount == 1))
        }
        return groupCount == 8
    }

    /// Splits at each `::`, the IPv6 zero-run marker.
    private static func splitOnDoubleColon(_ candidate: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var previousWasColon = false
        for character in candidate {
            if character == ":" && previousWasColon {
                current.removeLast()
                parts.append(current)
                current = ""
                previousWasColon = false
                continue
            }
            current.append(character)
            previousWasColon = character == ":"
        }
        parts.append(current)
        return parts
    }
}
