import Foundation

/// Fits an ``IntentModel`` by stochastic gradient descent on the L2-regularised softmax cross-entropy.
///
/// Uses Bottou's step size `η₀ / (1 + η₀ λ t)` and keeps the weight decay in one scale factor, so each step
/// touches only the rows of the example's non-zero features.
enum IntentTrainer {
    /// Row updates are skipped when the gradient's largest entry (`1 − p(target)`) is below this.
    static let skipBelow: Float = 1e-3

    /// Folds the decay `scale` into the table and resets it to 1.
    private static func rescale(_ table: UnsafeMutableBufferPointer<Float>, _ scale: inout Float) {
        for position in table.indices { table[position] *= scale }
        scale = 1
    }

    /// Trains on `vectors` with class indices `targets`.
    static func train(
        vectors: [SparseVector], targets: [Int], labels: [String], dimension: Int, options: IntentTrainingOptions
    ) -> IntentModel {
        let classCount = labels.count
        let length = VectorKernels.paddedCount(classCount)
        var weights = [Float](repeating: 0, count: dimension * length)
        var bias = [Float](repeating: 0, count: classCount)
        guard classCount > 1, !vectors.isEmpty else {
            return IntentModel(labels: labels, dimension: dimension, weights: weights, bias: bias)
        }
        var rng = SplitMix64(seed: options.seed)
        var order = Array(vectors.indices)
        let lambda = Float(options.l2)
        let eta0 = Float(options.learningRate)
        var scale: Float = 1
        var step: Float = 0
        let scores = UnsafeMutablePointer<Float>.allocate(capacity: length)
        defer { scores.deallocate() }

        let epochs = max(1, options.epochs)
        let firstAveraged = options.averagesSnapshots ? epochs / 2 : epochs - 1
        var average = [Float](repeating: 0, count: weights.count)
        var averageBias = [Float](repeating: 0, count: classCount)
        var snapshots: Float = 0
        weights.withUnsafeMutableBufferPointer { buffer in
            let table = buffer.baseAddress!
            for epoch in 0..<epochs {
                order.shuffle(using: &rng)
                for example in order {
                    step += 1
                    let eta = eta0 / (1 + eta0 * lambda * step)
                    let vector = vectors[example]
                    scores.initialize(repeating: 0, count: length)
                    for (index, value) in zip(vector.indices, vector.values) {
                        VectorKernels.addScaled(table + Int(index) * length, value * scale, into: scores, count: length)
                    }
                    var maximum = -Float.infinity
                    for label in 0..<classCount {
                        scores[label] += bias[label]
                        maximum = max(maximum, scores[label])
                    }
                    var total: Float = 0
                    for label in 0..<classCount {
                        scores[label] = exp(scores[label] - maximum)
                        total += scores[label]
                    }
                    // scores now becomes the gradient of the loss with respect to the class scores.
                    for label in 0..<classCount { scores[label] /= total }
                    for label in classCount..<length { scores[label] = 0 }
                    scores[targets[example]] -= 1

                    scale *= 1 - eta * lambda
                    // A confidently right example has a near-zero gradient; skipping its row updates saves most of
                    // the work in later epochs and changes the result by less than float rounding of the rows.
                    if -scores[targets[example]] < Self.skipBelow {
                        if scale < 1e-4 { rescale(buffer, &scale) }
                        continue
                    }
                    let factor = -eta / scale
                    for (index, value) in zip(vector.indices, vector.values) {
                        VectorKernels.addScaled(
                            UnsafePointer(scores), factor * value, into: table + Int(index) * length, count: length)
                    }
                    for label in 0..<classCount { bias[label] -= eta * scores[label] }
                    if scale < 1e-4 { rescale(buffer, &scale) }
                }
                guard epoch >= firstAveraged else { continue }
                // Average the end-of-epoch iterates of the second half of training: cheaper than per-step
                // Polyak averaging and it removes most of the SGD noise left by a finite number of epochs.
                snapshots += 1
                average.withUnsafeMutableBufferPointer { sums in
                    for position in sums.indices { sums[position] += scale * table[position] }
                }
                for label in 0..<classCount { averageBias[label] += bias[label] }
            }
        }
        for position in average.indices { average[position] /= snapshots }
        for label in 0..<classCount { averageBias[label] /= snapshots }
        return IntentModel(labels: labels, dimension: dimension, weights: average, bias: averageBias)
    }
}
