#if canImport(FoundationXML)
import FoundationXML
#endif
import Foundation

/// Reads the children of an XML script's `<script>` root with their attributes, text and line numbers.
final class CTPXMLReader: NSObject, XMLParserDelegate {
    /// One child element of the root.
    struct Entry {
        var name: String
        var attributes: [String: String]
        var text: String
        var line: Int
    }

    private var entries: [Entry] = []
    private var current: Entry?
    private var depth = 0
    private var rootName: String?
    private weak var parser: XMLParser?
    private var firstError: (line: Int, reason: String)?

    /// The root's element children, in order.
    /// - Throws: ``CTPScriptError`` ``CTPScriptError/Code/malformedXML``.
    static func read(_ text: String, file: String) throws(CTPScriptError) -> [Entry] {
        try refuseDeclarations(text, file: file)
        let parser = XMLParser(data: Data(text.utf8))
        let reader = CTPXMLReader()
        reader.parser = parser
        parser.delegate = reader
        parser.shouldResolveExternalEntities = false
        // swift-corelibs' parser can return true after libxml2 reported an error (e.g. mismatched tags),
        // so errors are also collected from the delegate.
        let succeeded = parser.parse()
        if !succeeded || reader.firstError != nil {
            let line = reader.firstError?.line ?? parser.lineNumber
            let reason = describe(reader.firstError?.reason
                ?? parser.parserError.map { "\($0.localizedDescription)" } ?? "not well formed")
            throw CTPScriptError(.malformedXML, file: file, line: line,
                                 reason: "malformed XML: \(reason.split(whereSeparator: \.isNewline).first ?? "")")
        }
        guard reader.rootName == "script" else {
            throw CTPScriptError(.malformedXML, file: file, line: 1,
                                 reason: "root element is <\(reader.rootName ?? "")>, expected <script>")
        }
        return reader.entries
    }

    /// A CTP script needs no document type declaration; one can declare entities that expand without end
    /// (an "entity bomb") or reach outside the file. Refused before the parser sees them.
    private static func refuseDeclarations(_ text: String, file: String) throws(CTPScriptError) {
        var line = 1
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<") {
            line += rest[..<open].reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
            let tail = rest[open...]
            if tail.hasPrefix("<!ENTITY") || tail.hasPrefix("<!DOCTYPE") {
                let what = tail.hasPrefix("<!ENTITY") ? "entity declarations" : "document type declarations (<!DOCTYPE>)"
                throw CTPScriptError(.malformedXML, file: file, line: line, reason: "\(what) are not allowed in a CTP script")
            }
            rest = rest[rest.index(after: open)...]
        }
    }

    /// The parser's message as one readable line: Foundation on Linux often gives only "The operation could not
    /// be completed. (NSXMLParserErrorDomain error 89.)".
    private static func describe(_ reason: String) -> String {
        guard reason.contains("NSXMLParserErrorDomain") else { return reason }
        let code = reason.split(whereSeparator: { !$0.isNumber }).last.map(String.init) ?? "?"
        return "not well-formed XML (parser error \(code))"
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        depth += 1
        if depth == 1 {
            rootName = elementName
        } else if depth == 2 {
            current = Entry(name: elementName, attributes: attributes, text: "", line: parser.lineNumber)
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        if depth == 2, let current { entries.append(current) }
        if depth == 2 { current = nil }
        depth -= 1
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        if firstError == nil { firstError = (parser.lineNumber, "\(parseError.localizedDescription)") }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if depth >= 2 { current?.text += string }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        if depth >= 2 { current?.text += String(decoding: CDATABlock, as: UTF8.self) }
    }
}
