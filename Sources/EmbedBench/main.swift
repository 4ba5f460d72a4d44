import Foundation
import ParleyAI

// Prints the built-in embedder's sentences per second at batch 32 on a fixed list of short sentences.
//
// usage: embed-bench [--model DIR] [--sentences FILE] [--runs N] [--batch N] [--parallelism N] [--blas-threads N]
//
// The model directory defaults to $PARLEY_EMBED_MODEL; the sentences to scripts/embedder/bench-sentences.txt.

func option(_ name: String) -> String? {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("embed-bench: \(message)\n".utf8))
    exit(2)
}

guard let modelPath = option("--model") ?? ProcessInfo.processInfo.environment["PARLEY_EMBED_MODEL"] else {
    fail("no model directory: pass --model DIR or set PARLEY_EMBED_MODEL")
}
let sentencesPath = option("--sentences") ?? "scripts/embedder/bench-sentences.txt"
guard let text = try? String(contentsOfFile: sentencesPath, encoding: .utf8) else {
    fail("cannot read \(sentencesPath)")
}
let sentences = text.split(separator: "\n").map(String.init)
let runs = Int(option("--runs") ?? "3") ?? 3
let batch = Int(option("--batch") ?? "32") ?? 32
let parallelism = Int(option("--parallelism") ?? "2") ?? 2

let embedder: MiniLMEmbedder
do {
    embedder = try MiniLMEmbedder(directory: URL(fileURLWithPath: modelPath), parallelism: parallelism)
} catch {
    fail("\(error)")
}
if let threads = option("--blas-threads").flatMap(Int.init) {
    MiniLMEmbedder.blasThreadCount = threads
}

func pass() -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    var start32 = 0
    while start32 < sentences.count {
        let end = min(start32 + batch, sentences.count)
        _ = embedder.embedSynchronously(Array(sentences[start32..<end]))
        start32 = end
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return Double(sentences.count) / seconds
}

_ = pass()  // warm-up
let rates = (0..<max(1, runs)).map { _ in pass() }
let median = rates.sorted()[rates.count / 2]
let figures = rates.map { String(format: "%.1f", $0) }.joined(separator: ", ")
print(
    "swift: \(String(format: "%.1f", median)) sentences/s (median of \(rates.count): \(figures); "
        + "\(sentences.count) sentences, batch \(batch), parallelism \(parallelism), "
        + "blas threads \(MiniLMEmbedder.blasThreadCount))")
