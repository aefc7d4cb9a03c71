import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// What a parsed SVG holds: element names and the text of every element.
struct ParsedXML {
    var elements: [String] = []
    var texts: [String] = []
    var titles: [String] = []
}

/// Parses `xml` with Foundation's XMLParser, failing the test when it is not well formed.
func parseXML(_ xml: String, file: StaticString = #filePath, line: UInt = #line) -> ParsedXML {
    final class Collector: NSObject, XMLParserDelegate {
        var result = ParsedXML()
        var stack: [String] = []
        var text = ""
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            result.elements.append(name)
            stack.append(name)
            text = ""
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty {
                result.texts.append(trimmed)
                if name == "title" { result.titles.append(trimmed) }
            }
            text = ""
            stack.removeLast()
        }
    }
    let parser = XMLParser(data: Data(xml.utf8))
    let collector = Collector()
    parser.delegate = collector
    let ok = parser.parse()
    XCTAssertTrue(ok, "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "?")", file: file, line: line)
    return collector.result
}
