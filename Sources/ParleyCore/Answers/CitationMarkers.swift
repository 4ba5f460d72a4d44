import Foundation

/// The `[n]` markers with which a model's answer cites its numbered passages (`[1]`, `[2, 3]`).
public enum CitationMarkers {
    /// The passage numbers cited in `text`, in order of appearance, repeats included; numbers outside
    /// `1...passageCount` are left out.
    public static func numbers(in text: some StringProtocol, passageCount: Int) -> [Int] {
        var numbers: [Int] = []
        var scanner = Substring(text)
        while let open = scanner.firstIndex(of: "[") {
            let rest = scanner[scanner.index(after: open)...]
            guard let close = rest.firstIndex(of: "]") else { break }
            for part in rest[..<close].split(separator: ",") {
                if let number = Int(part.trimmingCharacters(in: .whitespaces)), number >= 1, number <= passageCount {
                    numbers.append(number)
                }
            }
            scanner = rest[rest.index(after: close)...]
        }
        return numbers
    }
}
