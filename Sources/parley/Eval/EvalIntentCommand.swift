import ArgumentParser
import Foundation
import ParleyAI
import ParleyUnderstanding

/// `parley eval intent`: trains an ``IntentClassifier`` on one file and measures it on another.
struct EvalIntentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intent",
        abstract: "Train the intent classifier and measure accuracy, out-of-scope recall, macro-F1, MCC and speed.",
        discussion: """
            --train/--test take CSV files with a header (`text` plus `label`, `category` or `intent`), or the \
            CLINC150 data_full.json (pass it as --train; --test may be omitted). For CLINC150 the model trains on \
            `train` plus `oos_train` as an out-of-scope class, picks the threshold on `val`+`oos_val`, and tests on \
            `test`+`oos_test`. The threshold maximises accuracy over the validation rows (so it follows their mix of \
            in-scope and out-of-scope traffic); --threshold-objective balanced maximises the mean of in-scope \
            accuracy and out-of-scope recall instead. With --holdout F the last F of each class of the training file is held out and \
            used as the test set (for choosing hyperparameters without touching the test file). With the built-in \
            embedding model (--embed-model or PARLEY_EMBED_MODEL) the classifier reads each text's sentence \
            embedding beside its n-grams, as the server does: by default the static embeddings the intent stage \
            uses (distilled from the model once, then kept in a file beside it); --embeddings full uses the model \
            itself, --embeddings none n-grams alone. Each test message is embedded on its own, as a turn is, and \
            that time is part of us_per_message.
            """
    )

    @Option(help: "Training file (CSV, or CLINC150 data_full.json).")
    var train: String

    @Option(help: "Test file (CSV); optional with data_full.json or --holdout.")
    var test: String?

    @Option(help: "Validation CSV used to pick the out-of-scope threshold.")
    var val: String?

    @Option(help: "Label that marks out-of-scope rows (default: `oos` for CLINC150, none for CSV).")
    var oosLabel: String?

    @Option(help: "Fixed out-of-scope threshold; by default it is picked on validation rows, or 0 without them.")
    var threshold: Double?

    @Option(
        help: "Threshold objective on validation rows: balanced (mean of in-scope accuracy and OOS recall) or accuracy."
    )
    var thresholdObjective: ThresholdObjective = .accuracy

    @Flag(help: "For CLINC150: leave oos_train out of training (threshold only).")
    var noOosClass = false

    @Option(help: "Hold out this fraction of each training class as the test set (hyperparameter search).")
    var holdout: Double?

    @Option(help: "Override the L2 strength.")
    var l2: Double?

    @Option(help: "Override the number of epochs.")
    var epochs: Int?

    @Option(help: "Override the initial SGD step size.")
    var learningRate: Double?

    @Option(help: "Override the word block weight.")
    var wordWeight: Float?

    @Option(help: "Override the word n-gram lengths, e.g. 1-2.")
    var wordNgrams: String?

    @Flag(help: "Evaluate the model after a JSON encode/decode round trip (as stored per tenant).")
    var stored = false

    @Flag(help: "Use the last SGD iterate instead of the average of end-of-epoch snapshots.")
    var lastIterate = false

    @Option(help: "Override the skip-bigram window (0 disables).")
    var skipWindow: Int?

    @Option(help: "Override the minimum document frequency.")
    var minDf: Int?

    @Option(help: "Override the character n-gram lengths, e.g. 2-5.")
    var charNgrams: String?

    @Option(help: "Directory of the built-in embedding model (all-MiniLM-L6-v2); default $PARLEY_EMBED_MODEL.")
    var embedModel: String?

    @Option(
        help: """
            Sentence embeddings beside the n-grams: static (the intent stage's: the built-in model distilled to a \
            token table, microseconds a message), full (the built-in model itself, milliseconds), or none.
            """)
    var embeddings: EmbeddingKind = .static

    /// Which sentence embeddings the classifier reads.
    enum EmbeddingKind: String, ExpressibleByArgument, CaseIterable {
        case `static`, full, none
    }

    @Option(help: "Override the weight of the sentence embedding beside the n-grams.")
    var embeddingWeight: Float?

    typealias Row = (text: String, label: String)

    /// How the out-of-scope threshold is scored on validation rows.
    enum ThresholdObjective: String, ExpressibleByArgument, CaseIterable {
        /// Mean of in-scope accuracy and out-of-scope recall: independent of the validation set's OOS share.
        case balanced
        /// Plain accuracy over all validation rows: follows the validation set's OOS share.
        case accuracy
    }

    /// The JSON summary printed as the last line.
    struct Summary: Encodable {
        var accuracy: Double
        var inScopeAccuracy: Double
        var oosRecall: Double?
        var macroF1: Double
        var mcc: Double
        var usPerMessage: Double
        var wallUsPerMessage: Double
        var classifierUsPerMessage: Double
        var embeddingUsPerMessage: Double
        var trainSeconds: Double
        var trainWallSeconds: Double
        var embeddingModel: String?
        var threshold: Double
        var trainRows: Int
        var testRows: Int

        enum CodingKeys: String, CodingKey {
            case accuracy
            case inScopeAccuracy = "in_scope_accuracy"
            case oosRecall = "oos_recall"
            case macroF1 = "macro_f1"
            case mcc
            case usPerMessage = "us_per_message"
            case wallUsPerMessage = "wall_us_per_message"
            case classifierUsPerMessage = "classifier_us_per_message"
            case embeddingUsPerMessage = "embedding_us_per_message"
            case trainSeconds = "train_seconds"
            case trainWallSeconds = "train_wall_seconds"
            case embeddingModel = "embedding_model"
            case threshold
            case trainRows = "train_rows"
            case testRows = "test_rows"
        }
    }

    func run() throws {
        var (trainRows, validationRows, testRows, oos) = try loadData()
        if let holdout {
            (trainRows, testRows) = Self.stratifiedSplit(trainRows, fraction: holdout)
        }
        var options = IntentTrainingOptions()
        if let l2 { options.l2 = l2 }
        if let epochs { options.epochs = epochs }
        if let wordWeight { options.features.wordWeight = wordWeight }
        if let learningRate { options.learningRate = learningRate }
        if let minDf { options.features.minimumDocumentFrequency = minDf }
        if lastIterate { options.averagesSnapshots = false }
        if let skipWindow { options.features.skipBigramWindow = skipWindow }
        if let wordNgrams {
            let bounds = wordNgrams.split(separator: "-").compactMap { Int($0) }
            if bounds.count == 2 { options.features.wordNGramLengths = bounds[0]...bounds[1] }
        }
        if let charNgrams {
            let bounds = charNgrams.split(separator: "-").compactMap { Int($0) }
            if bounds.count == 2 { options.features.characterNGramLengths = bounds[0]...bounds[1] }
        }
        if let oos { options.outOfScopeLabels.insert(oos) }
        if let embeddingWeight { options.embeddingWeight = embeddingWeight }
        let embedder = try loadEmbedder()
        let examples = trainRows.map { IntentExample(text: $0.text, intent: $0.label) }
        var trained: IntentClassifier?
        // A tenant waits for both: its examples' embeddings (batched), then the fit.
        let training = measureSeconds {
            let embeddings = embedder?.batch(examples.map(\.text))
            trained = IntentClassifier.train(
                examples, embeddings: embeddings, embeddingModel: embedder?.model ?? "", options: options)
        }
        guard var classifier = trained else { return }
        if stored {
            classifier = try JSONDecoder().decode(IntentClassifier.self, from: JSONEncoder().encode(classifier))
        }
        let trainSeconds = training.cpu

        let chosenThreshold: Double
        if let threshold {
            chosenThreshold = threshold
        } else if !validationRows.isEmpty {
            chosenThreshold = Self.pickThreshold(
                classifier, rows: validationRows, embeddings: embedder?.batch(validationRows.map(\.text)),
                objective: thresholdObjective, isOutOfScope: isOOS(oos))
        } else {
            chosenThreshold = 0
        }
        classifier.outOfScopeThreshold = chosenThreshold

        let gold = testRows.map { isOOS(oos)($0.label) ? IntentPrediction.outOfScope : $0.label }
        // Each message is embedded alone, as in a turn; the embedder may use helper threads, so its time is wall
        // time, while the classifier's is the thread's CPU time.
        var testEmbeddings: [[Float]?] = Array(repeating: nil, count: testRows.count)
        let embedding = measureSeconds {
            guard let embedder else { return }
            for (position, row) in testRows.enumerated() { testEmbeddings[position] = embedder.single(row.text) }
        }
        var predicted: [String] = []
        predicted.reserveCapacity(testRows.count)
        let classifying = measureSeconds {
            for (row, vector) in zip(testRows, testEmbeddings) {
                predicted.append(classifier.predict(row.text, embedding: vector).intent)
            }
        }
        let elapsed = (wall: embedding.wall + classifying.wall, cpu: embedding.wall + classifying.cpu)
        let perMessage = { (seconds: Double) in rounded(seconds * 1e6 / Double(max(1, testRows.count)), 1) }
        let metrics = EvalMetrics(gold: gold, predicted: predicted)
        let inScope = zip(gold, predicted).filter { $0.0 != IntentPrediction.outOfScope }
        let outOfScope = zip(gold, predicted).filter { $0.0 == IntentPrediction.outOfScope }
        let inScopeAccuracy =
            inScope.isEmpty ? 0 : Double(inScope.filter { $0.0 == $0.1 }.count) / Double(inScope.count)
        let oosRecall: Double? =
            outOfScope.isEmpty ? nil : Double(outOfScope.filter { $0.0 == $0.1 }.count) / Double(outOfScope.count)
        let summary = Summary(
            accuracy: rounded(metrics.accuracy),
            inScopeAccuracy: rounded(inScopeAccuracy),
            oosRecall: oosRecall.map { rounded($0) },
            macroF1: rounded(metrics.macroF1),
            mcc: rounded(metrics.mcc),
            usPerMessage: perMessage(elapsed.cpu),
            wallUsPerMessage: perMessage(elapsed.wall),
            classifierUsPerMessage: perMessage(classifying.cpu),
            embeddingUsPerMessage: perMessage(embedding.wall),
            trainSeconds: rounded(trainSeconds, 2),
            trainWallSeconds: rounded(training.wall, 2),
            embeddingModel: embedder?.model,
            threshold: rounded(chosenThreshold),
            trainRows: trainRows.count,
            testRows: testRows.count
        )
        let rows: [[String]] = [
            ["training rows", "\(trainRows.count) (\(classifier.model.labels.count) classes)"],
            [
                "features",
                "\(classifier.featurizer.dimension) n-grams + \(classifier.embedding?.dimensions ?? 0) embedding",
            ],
            ["embedding model", embedder?.model ?? "none (n-grams only)"],
            ["stored model (JSON)", "\(((try? JSONEncoder().encode(classifier))?.count ?? 0) / 1_000_000) MB"],
            ["train seconds (CPU / wall)", "\(formatted(trainSeconds, 2)) / \(formatted(training.wall, 2))"],
            ["threshold", formatted(chosenThreshold)],
            ["test rows", "\(testRows.count) (\(outOfScope.count) out of scope)"],
            ["accuracy", formatted(metrics.accuracy)],
            ["in-scope accuracy", formatted(inScopeAccuracy)],
            ["out-of-scope recall", oosRecall.map { formatted($0) } ?? "n/a"],
            ["macro-F1", formatted(metrics.macroF1)],
            ["MCC", formatted(metrics.mcc)],
            [
                "µs per message (CPU / wall)",
                "\(formatted(summary.usPerMessage, 1)) / \(formatted(summary.wallUsPerMessage, 1))",
            ],
            [
                "µs per message: classifier / embedding",
                "\(formatted(summary.classifierUsPerMessage, 1)) / \(formatted(summary.embeddingUsPerMessage, 1))",
            ],
        ]
        try EvalReport(header: ["metric", "value"], rows: rows, summary: summary).print()
    }

    /// The embedder the classifier reads: its model's name, a batch call and a one-text call, both on this thread.
    struct Embedder {
        var model: String
        var batch: ([String]) -> [[Float]]
        var single: (String) -> [Float]
    }

    /// The chosen embedder, or nil for n-grams alone (`--embeddings none`, or no model directory given).
    private func loadEmbedder() throws -> Embedder? {
        let directory = embedModel ?? ProcessInfo.processInfo.environment["PARLEY_EMBED_MODEL"] ?? ""
        guard embeddings != .none, !directory.isEmpty else { return nil }
        let url = URL(fileURLWithPath: directory)
        do {
            switch embeddings {
            case .none:
                return nil
            case .full:
                let model = try MiniLMEmbedder(directory: url)
                return Embedder(model: model.model, batch: model.embedSynchronously, single: model.embed)
            case .static:
                let started = ContinuousClock.now
                let model = try StaticEmbedderLoader.load(modelDirectory: url, cacheDirectory: nil) { done, total in
                    if done == total || done % 2_560 == 0 {
                        FileHandle.standardError.write(Data("distilling static embeddings: \(done)/\(total)\n".utf8))
                    }
                }
                FileHandle.standardError.write(
                    Data("static embeddings ready in \(started.duration(to: .now))\n".utf8))
                return Embedder(model: model.model, batch: { $0.map(model.embed) }, single: model.embed)
            }
        } catch {
            throw ValidationError("the embedding model in \(directory) could not be loaded: \(error)")
        }
    }

    private func isOOS(_ label: String?) -> (String) -> Bool {
        { candidate in candidate == IntentPrediction.outOfScope || (label != nil && candidate == label) }
    }

    private func loadData() throws -> (train: [Row], val: [Row], test: [Row], oos: String?) {
        let labelColumns = ["label", "category", "intent"]
        if train.hasSuffix(".json") {
            let splits = try EvalData.clincSplits(train)
            let oos = oosLabel ?? "oos"
            let trainRows = (splits["train"] ?? []) + (noOosClass ? [] : (splits["oos_train"] ?? []))
            let valRows = (splits["val"] ?? []) + (splits["oos_val"] ?? [])
            var testRows = (splits["test"] ?? []) + (splits["oos_test"] ?? [])
            if let test { testRows = try EvalData.labelledCSV(test, labelColumns: labelColumns) }
            return (trainRows, valRows, testRows, oos)
        }
        let trainRows = try EvalData.labelledCSV(train, labelColumns: labelColumns)
        let valRows = try val.map { try EvalData.labelledCSV($0, labelColumns: labelColumns) } ?? []
        let testRows = try test.map { try EvalData.labelledCSV($0, labelColumns: labelColumns) } ?? []
        if test == nil, holdout == nil {
            throw ValidationError("--test is required for CSV training data unless --holdout is given")
        }
        return (trainRows, valRows, testRows, oosLabel)
    }

    /// Splits each class deterministically: every k-th row of a class goes to the held-out part.
    static func stratifiedSplit(_ rows: [Row], fraction: Double) -> ([Row], [Row]) {
        let period = max(2, Int((1 / max(0.01, min(0.5, fraction))).rounded()))
        var seen: [String: Int] = [:]
        var kept: [Row] = []
        var held: [Row] = []
        for row in rows {
            let position = seen[row.label, default: 0]
            seen[row.label] = position + 1
            if position % period == period - 1 { held.append(row) } else { kept.append(row) }
        }
        return (kept, held)
    }

    /// Picks the threshold that maximises `objective` on `rows`.
    static func pickThreshold(
        _ classifier: IntentClassifier, rows: [Row], embeddings: [[Float]]?, objective: ThresholdObjective,
        isOutOfScope: (String) -> Bool
    ) -> Double {
        let scored = rows.enumerated().map {
            position, row -> (confidence: Double, correct: Bool, oos: Bool, oosClass: Bool) in
            let prediction = classifier.predict(row.text, embedding: embeddings?[position], threshold: 0)
            let oos = isOutOfScope(row.label)
            return (prediction.confidence, prediction.intent == row.label, oos, prediction.isOutOfScope)
        }
        let inScopeCount = Double(max(1, scored.filter { !$0.oos }.count))
        let oosCount = Double(max(1, scored.filter { $0.oos }.count))
        let hasOOS = scored.contains { $0.oos }
        guard hasOOS else { return 0 }
        var best = (score: -1.0, threshold: 0.0)
        let candidates = [0.0] + scored.map(\.confidence).sorted()
        for candidate in candidates {
            var correctInScope = 0.0
            var caught = 0.0
            for entry in scored {
                let rejected = entry.confidence < candidate || entry.oosClass
                if entry.oos {
                    if rejected { caught += 1 }
                } else if !rejected, entry.correct {
                    correctInScope += 1
                }
            }
            let score =
                objective == .balanced
                ? (correctInScope / inScopeCount + caught / oosCount) / 2
                : (correctInScope + caught) / (inScopeCount + oosCount)
            if score > best.score { best = (score, candidate) }
        }
        return best.threshold
    }
}
