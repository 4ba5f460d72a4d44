import Foundation

/// One tenant's full-text index in memory: FTS5's terms of each chunk, ranked by BM25 with the tenant's own
/// statistics, the way FTS5's `bm25(knowledge_fts, 0.5, 1.0)` ranks them.
///
/// FTS5 can only score every row that matches some query word, each through its general machinery (position lists,
/// a row-size lookup, a sorter): about a microsecond a row, so one common word makes a query over 100,000 chunks cost
/// tens of milliseconds. This index keeps each term's rows and weighted frequencies in flat arrays and scores a
/// query term by term into an array of accumulators, a few nanoseconds a row; only the best rows are then read from
/// the database. It is built from the stored chunks with FTS5's own tokenizer (``FTS5Tokenizer``), so it finds what
/// FTS5 finds.
///
/// The statistics (row count, average length, rows per term) are the tenant's own, where FTS5's are those of the
/// whole table, every tenant's rows together: so another tenant's documents never move a tenant's ranking, and a
/// tenant cannot learn another's words from its own scores (except through FTS5's own ranking, which answers a large
/// tenant's searches while its first index is built). For a database with one tenant the scores are FTS5's, to the
/// last bit (tested), with two differences in reading a query: a term repeated in it counts once (FTS5 counts each
/// repetition), and a visitor word FTS5 cuts into several terms (`w1x⃝w2x`) is searched as those terms, not as a
/// phrase.
struct TermIndex: Sendable {
    /// A chunk, by its row in `knowledge_chunks`, and its score (higher is better).
    struct Hit: Equatable, Sendable {
        var seq: Int
        var score: Double
    }

    /// BM25's term-frequency saturation, as in FTS5.
    static let k1 = 1.2
    /// BM25's length normalisation, as in FTS5.
    static let b = 0.75

    /// The knowledge version of the tenant this index was built from.
    let version: Int
    /// Each indexed chunk's row, by its number in the index.
    let seqs: [Int]
    private let dictionary: TermDictionary
    /// Where each term's postings start; one more entry than terms, the last being the end.
    private let offsets: [Int]
    private let postingRows: [UInt32]
    private let postingFrequencies: [Float]
    /// Each row's `k1 × (1 − b + b × length / average length)`, BM25's denominator without the frequency.
    private let norms: [Double]

    /// The number of indexed chunks.
    var count: Int { seqs.count }

    /// The best `limit` chunks for `terms` (index terms, as ``FTS5Tokenizer`` makes them), best first, ties by row.
    ///
    /// A term repeated in the query counts once; terms the tenant's chunks never use add nothing.
    func search(_ terms: [String], limit: Int) -> [Hit] {
        guard limit > 0, !seqs.isEmpty else { return [] }
        var numbers: [Int] = []
        for term in terms {
            guard let number = dictionary.number(of: term).map(Int.init), !numbers.contains(number) else { continue }
            numbers.append(number)
        }
        guard !numbers.isEmpty else { return [] }
        let rows = Double(seqs.count)
        var scores = [Double](repeating: 0, count: seqs.count)
        var touched: [Int] = []
        for number in numbers {
            let range = offsets[number]..<offsets[number + 1]
            let idf = Self.inverseDocumentFrequency(count: range.count, rows: rows)
            postingRows.withUnsafeBufferPointer { postingRows in
                postingFrequencies.withUnsafeBufferPointer { frequencies in
                    norms.withUnsafeBufferPointer { norms in
                        scores.withUnsafeMutableBufferPointer { scores in
                            for posting in range {
                                let row = Int(postingRows[posting])
                                let frequency = Double(frequencies[posting])
                                if scores[row] == 0 { touched.append(row) }
                                // FTS5's expression, operation for operation, so the sums agree to the bit.
                                scores[row] += idf * ((frequency * (Self.k1 + 1.0)) / (frequency + norms[row]))
                            }
                        }
                    }
                }
            }
        }
        return Self.best(touched, scores: scores, seqs: seqs, limit: limit)
    }

    /// FTS5's inverse document frequency of a term `count` of `rows` rows contain, never below a millionth.
    static func inverseDocumentFrequency(count: Int, rows: Double) -> Double {
        let idf = log((rows - Double(count) + 0.5) / (Double(count) + 0.5))
        return idf <= 0 ? 1e-6 : idf
    }

    /// The `limit` best of `rows` by score, then by seq, through a bounded heap whose root is the worst kept.
    private static func best(_ rows: [Int], scores: [Double], seqs: [Int], limit: Int) -> [Hit] {
        func worse(_ x: Hit, _ y: Hit) -> Bool { x.score < y.score || (x.score == y.score && x.seq > y.seq) }
        var heap: [Hit] = []
        heap.reserveCapacity(min(limit, rows.count))
        func siftDown(_ start: Int) {
            var parent = start
            while true {
                let left = 2 * parent + 1
                guard left < heap.count else { return }
                var child = left
                if left + 1 < heap.count, worse(heap[left + 1], heap[left]) { child = left + 1 }
                guard worse(heap[child], heap[parent]) else { return }
                heap.swapAt(child, parent)
                parent = child
            }
        }
        for row in rows {
            let hit = Hit(seq: seqs[row], score: scores[row])
            if heap.count < limit {
                heap.append(hit)
                var child = heap.count - 1
                while child > 0, worse(heap[child], heap[(child - 1) / 2]) {
                    heap.swapAt(child, (child - 1) / 2)
                    child = (child - 1) / 2
                }
            } else if worse(heap[0], hit) {
                heap[0] = hit
                siftDown(0)
            }
        }
        return heap.sorted { worse($1, $0) }
    }
}

extension TermIndex {
    /// Gathers chunks' terms, then lays them out as an index.
    struct Builder {
        private var dictionary = TermDictionary()
        private var seqs: [Int] = []
        private var lengths: [Int] = []
        private var postingTerms: [Int32] = []
        private var postingRows: [UInt32] = []
        private var postingFrequencies: [Float] = []
        /// Per term: the last row it was seen in, and its weighted frequency there.
        private var lastRow: [Int32] = []
        private var frequency: [Float] = []

        /// An empty builder.
        init() {}

        /// Adds a chunk: its row and its fields, each tokenized by `tokenizer` and counted with its weight (FTS5's
        /// column weights: each occurrence adds its column's weight to the term's frequency).
        mutating func add(seq: Int, fields: [(text: String, weight: Float)], tokenizer: FTS5Tokenizer) {
            let row = Int32(seqs.count)
            var length = 0
            var seen: [Int32] = []
            for field in fields {
                tokenizer.forEachTerm(of: field.text) { bytes in
                    let term = dictionary.number(of: bytes)
                    if Int(term) == lastRow.count {
                        lastRow.append(-1)
                        frequency.append(0)
                    }
                    if lastRow[Int(term)] != row {
                        lastRow[Int(term)] = row
                        frequency[Int(term)] = 0
                        seen.append(term)
                    }
                    frequency[Int(term)] += field.weight
                    length += 1
                }
            }
            for term in seen {
                postingTerms.append(term)
                postingRows.append(UInt32(row))
                postingFrequencies.append(frequency[Int(term)])
            }
            seqs.append(seq)
            lengths.append(length)
        }

        /// The index of the chunks added, for knowledge version `version`.
        func build(version: Int) -> TermIndex {
            // Postings grouped by term (a counting sort), each term's rows ascending since rows were added in order.
            var offsets = [Int](repeating: 0, count: dictionary.count + 1)
            for term in postingTerms { offsets[Int(term) + 1] += 1 }
            for term in 0..<dictionary.count { offsets[term + 1] += offsets[term] }
            var next = offsets
            var rows = [UInt32](repeating: 0, count: postingRows.count)
            var frequencies = [Float](repeating: 0, count: postingRows.count)
            for (posting, term) in postingTerms.enumerated() {
                let place = next[Int(term)]
                next[Int(term)] += 1
                rows[place] = postingRows[posting]
                frequencies[place] = postingFrequencies[posting]
            }
            let total = lengths.reduce(0, +)
            let averageLength = seqs.isEmpty ? 1 : Double(total) / Double(seqs.count)
            let norms = lengths.map { length in
                TermIndex.k1 * (1 - TermIndex.b + TermIndex.b * Double(length) / averageLength)
            }
            return TermIndex(
                version: version, seqs: seqs, dictionary: dictionary, offsets: offsets, postingRows: rows,
                postingFrequencies: frequencies, norms: norms)
        }
    }
}
