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
            let reason = reader.firstError?.reason
                ?? parser.parserError.map { "\($0.localizedDescription)" } ?? "not well formed"
            throw CTPScriptError(.malformedXML, file: file, line: line,
                                 reason: "malformed XML: \(reason.split(whereSeparator: \.isNewline).first ?? "")")
        }
        guard reader.rootName == "script" else {
            throw CTPScriptError(.malformedXML, file: file, line: 1,
                                 reason: "root element is <\(reader.rootName ?? "")>, expected <script>")
        }
        return reader.entries
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
