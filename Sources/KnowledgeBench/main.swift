// Microseconds per vector query: 100,000 random unit vectors of 384 dimensions (all-MiniLM-L6-v2's size), top 10:
// `VectorIndex.search` (the quantized scan past its threshold), the exact scan, and a plain scalar loop over the same
// data, with the search's recall@10 against the exact scan. Random vectors are the hardest case for the quantized
// scan: their neighbours barely stand out. Build with `-c release`; times are printed, never checked.
//
//     swift run -c release knowledge-bench [COUNT] [DIMENSIONS] [QUERIES]
import Foundation
import ParleyKnowledge

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let count = arguments.first ?? 100_000
let dimensions = arguments.dropFirst().first ?? 384
let queryCount = arguments.dropFirst(2).first ?? 50

var vectors: [[Float]] = []
vectors.reserveCapacity(count)
for _ in 0..<count {
    var vector = [Float](repeating: 0, count: dimensions)
    for column in 0..<dimensions { vector[column] = Float.random(in: -1..<1) }
    vectors.append(vector)
}
var index = VectorIndex(dimensions: dimensions)
let buildStart = ContinuousClock.now
for (row, vector) in vectors.enumerated() { try index.add(id: "doc-\(row)", vector: vector) }
let buildTime = ContinuousClock.now - buildStart
var plain: [Float] = []
plain.reserveCapacity(count * dimensions)
for vector in vectors {
    let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
    plain.append(contentsOf: vector.map { $0 / norm })
}
let queries = (0..<queryCount).map { _ in (0..<dimensions).map { _ in Float.random(in: -1..<1) } }

func microseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
}

// Warm up once, then time every query; the median resists another process's bursts.
var checksum: Float = 0
checksum += index.search(queries[0], k: 10).first?.score ?? 0
var indexTimes: [Double] = []
for query in queries {
    let start = ContinuousClock.now
    checksum += index.search(query, k: 10).first?.score ?? 0
    indexTimes.append(microseconds(ContinuousClock.now - start))
}

var exactTimes: [Double] = []
var recalled = 0
for query in queries {
    let start = ContinuousClock.now
    let exact = index.exactSearch(query, k: 10)
    exactTimes.append(microseconds(ContinuousClock.now - start))
    let truth = Set(exact.map(\.id))
    recalled += index.search(query, k: 10).filter { truth.contains($0.id) }.count
}

var scalarTimes: [Double] = []
for query in queries.prefix(10) {
    let start = ContinuousClock.now
    let norm = query.reduce(0) { $0 + $1 * $1 }.squareRoot()
    let unit = query.map { $0 / norm }
    var best: Float = -.infinity
    for row in 0..<count {
        var sum: Float = 0
        for column in 0..<dimensions { sum += plain[row * dimensions + column] * unit[column] }
        best = max(best, sum)
    }
    checksum += best
    scalarTimes.append(microseconds(ContinuousClock.now - start))
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
}

print("vectors: \(count) x \(dimensions), queries: \(queryCount), k: 10")
print(String(format: "VectorIndex.add: %.2f µs/vector", microseconds(buildTime) / Double(count)))
print(
    String(
        format: "VectorIndex.search (top 10): median %.0f µs/query, best %.0f µs/query", median(indexTimes),
        indexTimes.min() ?? 0))
print(
    String(
        format: "VectorIndex.exactSearch (top 10): median %.0f µs/query, best %.0f µs/query", median(exactTimes),
        exactTimes.min() ?? 0))
print(
    String(
        format: "search recall@10 against exact: %.4f (quantized scan from %d rows)",
        Double(recalled) / Double(10 * queries.count), VectorIndex.quantizedSearchThreshold))
print(
    String(
        format: "plain scalar loop (max only): median %.0f µs/query, best %.0f µs/query", median(scalarTimes),
        scalarTimes.min() ?? 0))
print(String(format: "bytes scanned per query: %.1f MB", Double(count * dimensions * 4) / 1e6))
print(String(format: "(checksum %.3f)", checksum))
