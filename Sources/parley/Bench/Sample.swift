/// Measured durations of one benchmark run, in nanoseconds, with the figures the reports print.
struct Sample {
    private(set) var nanoseconds: [Int64] = []
    /// Wall time of the whole run.
    var total: Duration = .zero

    mutating func add(_ duration: Duration) {
        nanoseconds.append(
            duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    /// Operations per second over the whole run.
    var perSecond: Double {
        let seconds = Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18
        return seconds > 0 ? Double(nanoseconds.count) / seconds : 0
    }

    /// The `q` quantile in microseconds (0.5 for the median).
    func quantileMicros(_ q: Double) -> Double {
        guard !nanoseconds.isEmpty else { return 0 }
        let sorted = nanoseconds.sorted()
        let index = min(sorted.count - 1, Int((Double(sorted.count) * q).rounded(.down)))
        return Double(sorted[index]) / 1_000
    }
}

/// The median of several runs' figures.
func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    return sorted.count.isMultiple(of: 2)
        ? (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2 : sorted[sorted.count / 2]
}
