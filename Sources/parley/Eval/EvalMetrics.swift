import Foundation

/// Classification metrics over gold and predicted labels: accuracy, per-class F1, macro-F1 and multiclass MCC.
struct EvalMetrics {
    /// Gold labels.
    let gold: [String]
    /// Predicted labels, same length as ``gold``.
    let predicted: [String]

    /// The fraction of exact matches (0 for no rows).
    var accuracy: Double {
        guard !gold.isEmpty else { return 0 }
        return Double(zip(gold, predicted).filter { $0 == $1 }.count) / Double(gold.count)
    }

    /// Precision, recall, F1 and support of one class.
    func classScores(_ label: String) -> (precision: Double, recall: Double, f1: Double, support: Int) {
        var truePositive = 0
        var predictedCount = 0
        var support = 0
        for (expected, actual) in zip(gold, predicted) {
            if expected == label { support += 1 }
            if actual == label { predictedCount += 1 }
            if expected == label, actual == label { truePositive += 1 }
        }
        let precision = predictedCount == 0 ? 0 : Double(truePositive) / Double(predictedCount)
        let recall = support == 0 ? 0 : Double(truePositive) / Double(support)
        let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
        return (precision, recall, f1, support)
    }

    /// The mean F1 over the classes that occur in ``gold``.
    var macroF1: Double {
        let labels = Set(gold)
        guard !labels.isEmpty else { return 0 }
        return labels.map { classScores($0).f1 }.reduce(0, +) / Double(labels.count)
    }

    /// Gorodkin's multiclass Matthews correlation coefficient.
    var mcc: Double {
        let labels = Array(Set(gold).union(predicted))
        var goldCounts: [String: Double] = [:]
        var predictedCounts: [String: Double] = [:]
        var correct = 0.0
        for (expected, actual) in zip(gold, predicted) {
            goldCounts[expected, default: 0] += 1
            predictedCounts[actual, default: 0] += 1
            if expected == actual { correct += 1 }
        }
        let total = Double(gold.count)
        let covariance =
            correct * total
            - labels.map { goldCounts[$0, default: 0] * predictedCounts[$0, default: 0] }
            .reduce(0, +)
        let goldSpread = total * total - labels.map { pow(goldCounts[$0, default: 0], 2) }.reduce(0, +)
        let predictedSpread = total * total - labels.map { pow(predictedCounts[$0, default: 0], 2) }.reduce(0, +)
        let denominator = (goldSpread * predictedSpread).squareRoot()
        return denominator == 0 ? 0 : covariance / denominator
    }
}

/// Rounds `value` to `places` decimals for printing in the JSON summary.
func rounded(_ value: Double, _ places: Int = 4) -> Double {
    let factor = pow(10, Double(places))
    return (value * factor).rounded() / factor
}

/// Formats `value` with `places` decimals for the table.
func formatted(_ value: Double, _ places: Int = 4) -> String {
    String(format: "%.\(places)f", value)
}

/// Runs `body` and returns its wall-clock seconds and the calling thread's CPU seconds.
///
/// On a machine shared with other builds, CPU time is the better estimate of the cost on an idle core; both are
/// printed.
func measureSeconds(_ body: () -> Void) -> (wall: Double, cpu: Double) {
    func cpuNow() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
    }
    let clock = ContinuousClock()
    let cpuStart = cpuNow()
    let elapsed = clock.measure(body)
    let cpu = cpuNow() - cpuStart
    let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    return (wall, cpu)
}
