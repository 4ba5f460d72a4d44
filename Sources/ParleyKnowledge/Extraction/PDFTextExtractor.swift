import Foundation

/// Reads a PDF's text with poppler's `pdftotext` (poppler-utils), run as a child process with a time limit.
///
/// Poppler is the reference open PDF text extractor; running it as its own process keeps a hostile PDF's crash or
/// runaway out of the server, which linking libpoppler in would not.
public enum PDFTextExtractor {
    /// The longest a file may take.
    public static let timeLimit: TimeInterval = 30
    /// Most pages read.
    public static let maxPages = 2_000
    /// Most text kept, four times what the knowledge base takes from one document (512 Ki characters of up to 4
    /// bytes): a small PDF can repeat one content stream on every page and expand enormously.
    public static let maxTextBytes = 8 << 20

    /// The PDF's text, paragraphs separated by blank lines.
    public static func extract(_ data: Data, tool: String = "/usr/bin/pdftotext") throws(ExtractionError) -> String {
        guard FileManager.default.isExecutableFile(atPath: tool) else {
            throw ExtractionError("PDF files need pdftotext (apt-get install poppler-utils)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-pdf-\(UUID())")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ExtractionError("no room to read the PDF")
        }
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("in.pdf")
        let output = directory.appendingPathComponent("out.txt")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["-enc", "UTF-8", "-nopgbrk", "-q", "-l", String(maxPages), input.path, output.path]
        process.standardError = FileHandle.nullDevice
        do {
            try data.write(to: input)
            try process.run()
        } catch {
            throw ExtractionError("pdftotext could not be started")
        }
        let deadline = Date().addingTimeInterval(timeLimit)
        while process.isRunning {
            let written = (try? FileManager.default.attributesOfItem(atPath: output.path)[.size] as? Int) ?? 0
            if Date() > deadline || written > maxTextBytes {
                let overrun = written > maxTextBytes
                process.terminate()
                process.waitUntilExit()
                throw ExtractionError(
                    overrun
                        ? "the PDF's text is larger than \(maxTextBytes >> 20) MiB"
                        : "the PDF took longer than \(Int(timeLimit)) s to read")
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: output.path)[.size] as? Int) ?? 0
        guard size <= maxTextBytes else {
            throw ExtractionError("the PDF's text is larger than \(maxTextBytes >> 20) MiB")
        }
        guard process.terminationStatus == 0, let text = try? String(contentsOf: output, encoding: .utf8) else {
            throw ExtractionError("the PDF could not be read (it may be encrypted or damaged)")
        }
        // Lines within a paragraph join; blank lines separate paragraphs.
        return text.components(separatedBy: "\n\n")
            .map { $0.collapsingWhitespace() }
            .filter { !$0.isEmpty }
            .joined(separator: "\n\n")
    }
}
