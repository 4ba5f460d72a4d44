import Foundation
import Testing
import ZIPFoundation

@testable import ParleyKnowledge

/// Reading uploaded files: formats told apart by their bytes, HTML's main content, Word documents' structure,
/// FAQ tables, and PDFs through poppler.
@Suite("Document extraction")
struct DocumentExtractionTests {
    static let page = """
        <!doctype html><html><head><title>Shipping | Acme</title><style>body{color:red}</style>
        <script>var tracking = "do not index";</script></head>
        <body><header><nav><a href="/">Home</a> | <a href="/about">About us</a></nav></header>
        <div id="cookie-banner">We use cookies. Accept all?</div>
        <main><h1>Shipping</h1><p>We ship   to every country
        in the <b>European Union</b>.</p>
        <h2>Options</h2><ul><li>Standard: 3 to 5 days</li><li>Express: next day</li></ul>
        <table><tr><th>Zone</th><th>Price</th></tr><tr><td>EU</td><td>5 EUR</td></tr></table></main>
        <aside>Related: our jackets</aside><footer>© Acme 2026 · Imprint</footer></body></html>
        """

    @Test("HTML: the main content as Markdown, without navigation, scripts, banners, asides or footers")
    func html() throws {
        let (title, markdown) = try HTMLTextExtractor.extract(Data(Self.page.utf8))
        #expect(title == "Shipping | Acme")
        #expect(markdown.contains("# Shipping"))
        #expect(markdown.contains("We ship to every country in the European Union."))
        #expect(markdown.contains("## Options"))
        #expect(markdown.contains("- Standard: 3 to 5 days"))
        #expect(markdown.contains("- Express: next day"))
        #expect(markdown.contains("EU | 5 EUR"))
        for boilerplate in ["Home", "About us", "cookies", "do not index", "color:red", "jackets", "Imprint"] {
            #expect(!markdown.contains(boilerplate), "\(boilerplate) leaked into: \(markdown)")
        }
    }

    @Test("HTML without a main element: the body, still without its navigation; broken markup is tolerated")
    func htmlWithoutMain() throws {
        let broken = "<html><body><nav>Menu</nav><h2>Returns<p>Within 30 days<li>free label</div></body>"
        let (title, markdown) = try HTMLTextExtractor.extract(Data(broken.utf8))
        #expect(title == "Returns", "no <title>: the first heading")
        #expect(markdown.contains("Within 30 days"))
        #expect(markdown.contains("- free label"))
        #expect(!markdown.contains("Menu"))
    }

    /// A Word document made in memory: a title, a heading, a paragraph, a list item and a table.
    static func docx() throws -> Data {
        let body = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
            <w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>Returns policy</w:t></w:r></w:p>
            <w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t>How to return</w:t></w:r></w:p>
            <w:p><w:r><w:t xml:space="preserve">Print the label </w:t></w:r><w:r><w:t>from your parcel.</w:t></w:r></w:p>
            <w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>
            <w:r><w:t>Items must be unworn</w:t></w:r></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>Region</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Days</w:t></w:r></w:p></w:tc></w:tr>
            <w:tr><w:tc><w:p><w:r><w:t>EU</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>30</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
            </w:body></w:document>
            """
        let archive = try Archive(accessMode: .create)
        for (path, text) in [
            ("[Content_Types].xml", "<Types/>"), ("word/document.xml", body),
        ] {
            let data = Data(text.utf8)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
                provider: { (position: Int64, size: Int) in
                    data.subdata(in: Int(position)..<Int(position) + size)
                })
        }
        return try #require(archive.data)
    }

    @Test("Word: headings, paragraphs, list items and table rows, in order")
    func word() throws {
        let data = try Self.docx()
        #expect(DocumentFormat.detect(data, filename: "policy.zip") == .docx, "by its bytes, whatever the name")
        let (title, markdown) = try DOCXTextExtractor.extract(data)
        #expect(title == "Returns policy")
        #expect(
            markdown == """
                # Returns policy

                ## How to return

                Print the label from your parcel.

                - Items must be unworn

                Region | Days

                EU | 30
                """)
    }

    @Test("CSV: quoted commas, quotes and line breaks; the header names the columns; empty rows are counted")
    func faqTable() throws {
        let csv = """
            Answer,Question,Notes\r
            "Yes, we ship to the EU.",Do you ship abroad?,x\r
            "She said ""hello""\nand left.",What happened?,\r
            ,Empty answer?,\r

            """
        let (entries, skipped) = try FAQTable.entries(csv)
        #expect(entries.count == 2)
        #expect(entries[0].question == "Do you ship abroad?" && entries[0].answer == "Yes, we ship to the EU.")
        #expect(entries[1].answer == "She said \"hello\"\nand left.")
        #expect(skipped == 1)
        #expect(throws: ExtractionError.self) { try FAQTable.entries("q,a\nx,y") }
    }

    @Test("formats come from the bytes; the name only tells kinds of text apart")
    func sniffing() throws {
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0])
        #expect(DocumentFormat.detect(png, filename: "faq.txt") == nil)
        #expect(DocumentFormat.detect(Data([0xFF, 0xFE, 0x00, 0x41]), filename: "notes.md") == nil)
        #expect(DocumentFormat.detect(Data("%PDF-1.4\n".utf8), filename: "x.txt") == .pdf)
        #expect(DocumentFormat.detect(Data("  <!DOCTYPE html><p>x".utf8), filename: "x.txt") == .html)
        #expect(DocumentFormat.detect(Data("question,answer\n".utf8), filename: "faq.CSV") == .csv)
        #expect(DocumentFormat.detect(Data("# Title".utf8), filename: "readme.md") == .markdown)
        #expect(DocumentFormat.detect(Data("plain words".utf8), filename: nil) == .text)
        // Text that is code, style or data is not a document, whatever it says.
        for name in ["debian.css", "app.JS", "config.yaml", "data.json"] {
            #expect(DocumentFormat.detect(Data("body { color: red }".utf8), filename: name) == nil, "\(name)")
        }
        #expect(DocumentFormat.detect(Data("<html><body>x".utf8), filename: "page.xml") == .html, "HTML is HTML")
        #expect(DocumentFormat.detect(Data("release notes".utf8), filename: "NOTES.log") == .text)
        let zip = try Archive(accessMode: .create)
        let letter = Data("a".utf8)
        try zip.addEntry(
            with: "a.txt", type: .file, uncompressedSize: Int64(letter.count), compressionMethod: .none,
            provider: { (position: Int64, size: Int) in letter.subdata(in: Int(position)..<Int(position) + size) })
        #expect(DocumentFormat.detect(try #require(zip.data), filename: "a.docx") == nil, "a zip, not a document")
        #expect(throws: ExtractionError.self) { try DocumentExtractor.extract(png, filename: "x.png") }
    }

    /// A one-page PDF whose page says `text`, with a correct cross-reference table.
    static func pdf(_ text: String) -> Data {
        let stream = "BT /F1 18 Tf 72 720 Td (\(text)) Tj ET"
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                + "/Resources << /Font << /F1 5 0 R >> >> >>",
            "<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
        var pdf = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(pdf.utf8.count)
            pdf += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = pdf.utf8.count
        pdf += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { pdf += String(format: "%010d 00000 n \n", offset) }
        pdf += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(pdf.utf8)
    }

    @Test("PDF: the text through pdftotext; a damaged PDF is a readable error, not a crash")
    func pdf() throws {
        let (format, extracted) = try DocumentExtractor.extract(
            Self.pdf("Refunds take five business days."), filename: nil)
        #expect(format == .pdf)
        guard case .document(_, .text(let text)) = extracted else {
            Issue.record("not a text document: \(extracted)")
            return
        }
        #expect(text.contains("Refunds take five business days."))
        #expect(throws: ExtractionError.self) { try PDFTextExtractor.extract(Data("%PDF-1.4 garbage".utf8)) }
    }
}

extension DocumentExtractionTests {
    @Test("hostile files: a Word zip bomb stops at the cap, a fake PDF and an archive of junk are refused in words")
    func hostile() throws {
        // 40 MiB of one repeated byte deflates to a few dozen KiB.
        let bomb = Data(repeating: 0x41, count: 40 << 20)
        let archive = try Archive(accessMode: .create)
        try archive.addEntry(
            with: "word/document.xml", type: .file, uncompressedSize: Int64(bomb.count), compressionMethod: .deflate,
            provider: { (position: Int64, size: Int) in bomb.subdata(in: Int(position)..<Int(position) + size) })
        let packed = try #require(archive.data)
        #expect(packed.count < 1 << 20)
        #expect(throws: ExtractionError.self) { try DOCXTextExtractor.extract(packed) }
        let fakePDF = Data("%PDF-1.7\nthis is not really a PDF".utf8)
        #expect(throws: ExtractionError.self) { try DocumentExtractor.extract(fakePDF, filename: "report.pdf") }
        let empty = Data("<html><body><nav>only navigation</nav></body></html>".utf8)
        #expect(throws: ExtractionError.self) { try DocumentExtractor.extract(empty, filename: "x.html") }
    }

    @Test("a small Word file of megabytes of one-letter words is refused while it is read, within the text cap")
    func wordOfManyWords() throws {
        // 16 MiB of "a " in one paragraph: under the 32 MiB inflate cap, far over what a document may hold.
        let words = String(repeating: "a ", count: 8 << 20)
        let xml = Data(
            (#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>"#
                + words + "</w:t></w:r></w:p></w:body></w:document>").utf8)
        let archive = try Archive(accessMode: .create)
        try archive.addEntry(
            with: "word/document.xml", type: .file, uncompressedSize: Int64(xml.count), compressionMethod: .deflate,
            provider: { (position: Int64, size: Int) in xml.subdata(in: Int(position)..<Int(position) + size) })
        let packed = try #require(archive.data)
        #expect(packed.count < 1 << 20)
        do {
            _ = try DOCXTextExtractor.extract(packed)
            Issue.record("a document of 16 MiB of text was read whole")
        } catch {
            #expect("\(error)".contains("larger than 8 MiB"), "\(error)")
        }
    }

    @Test("whitespace collapses to single spaces, trimmed, as splitting into words and joining them did")
    func collapsingWhitespace() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [Character] = ["a", "é", " ", "\n", "\t", "\r\n", "\u{00A0}", "\u{2028}", "日", "👍🏽", "x"]
        for _ in 0..<500 {
            let text = String(
                (0..<Int.random(in: 0..<40, using: &generator)).map { _ in
                    alphabet.randomElement(using: &generator)!
                })
            #expect(text.collapsingWhitespace() == text.split(whereSeparator: \.isWhitespace).joined(separator: " "))
        }
    }
}
