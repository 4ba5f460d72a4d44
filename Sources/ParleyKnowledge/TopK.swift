/// Keeps the `k` best (score, row) pairs seen so far, in a bounded min-heap: no full sort of all candidates.
///
/// "Better" is a higher score, and on equal scores the smaller identifier, so results are deterministic.
struct TopK {
    /// One candidate: its score and its row in the caller's identifier table.
    struct Entry {
        var score: Float
        var row: Int
    }

    private let capacity: Int
    private let ids: [String]
    /// The heap; its root is the worst entry kept.
    private var heap: [Entry] = []

    /// Creates a selector of `k` entries whose identifiers are `ids[row]`.
    init(k: Int, ids: [String]) {
        capacity = max(0, k)
        self.ids = ids
        heap.reserveCapacity(min(capacity, ids.count))
    }

    /// The score an entry must beat to be kept (ties then go by identifier), or `-infinity` until full.
    var threshold: Float {
        heap.count < capacity ? -.infinity : (heap.first?.score ?? .infinity)
    }

    /// Offers one candidate.
    mutating func offer(score: Float, row: Int) {
        guard capacity > 0 else { return }
        let entry = Entry(score: score, row: row)
        if heap.count < capacity {
            heap.append(entry)
            siftUp(heap.count - 1)
        } else if let worst = heap.first, isBetter(entry, than: worst) {
            heap[0] = entry
            siftDown(0)
        }
    }

    /// The kept entries, best first.
    func sorted() -> [Entry] {
        heap.sorted { isBetter($0, than: $1) }
    }

    private func isBetter(_ lhs: Entry, than rhs: Entry) -> Bool {
        if lhs.score != rhs.score { return lhs.score > rhs.score }
        return ids[lhs.row] < ids[rhs.row]
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard isBetter(heap[parent], than: heap[child]) else { return }
            heap.swapAt(parent, child)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var worst = parent
            if left < heap.count, isBetter(heap[worst], than: heap[left]) { worst = left }
            if right < heap.count, isBetter(heap[worst], than: heap[right]) { worst = right }
            guard worst != parent else { return }
            heap.swapAt(parent, worst)
            parent = worst
        }
    }
}
