/// A fixed-size, uninitialised-then-owned block of `Float`s with a stable address, freed on deinit.
///
/// Weights use it after loading and never write to it again, which is what makes sharing it across threads safe;
/// scratch buffers are created per call and never shared.
final class FloatBuffer: @unchecked Sendable {
    /// The first element.
    let pointer: UnsafeMutablePointer<Float>
    /// The number of elements.
    let count: Int

    /// Allocates `count` elements, all zero.
    init(count: Int) {
        self.count = count
        self.pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    /// Copies `values` into a new buffer.
    convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }

    deinit {
        pointer.deallocate()
    }
}
