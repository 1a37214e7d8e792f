import DICOMCore
import Testing
@testable import CTPScript

private let xmlScript = """
<script>
 <!-- synthetic test script -->
 <p t="UIDROOT">1.2.3.4</p>
 <p t="DATEINC">-10</p>
 <e en="T" t="00100010" n="PatientName">@empty()</e>
 <e en="F" t="00100020" n="PatientID">@hash(this,8)</e>
 <e en="T" t="00131010" n="ProjectName">@always()TRIAL &amp; CO</e>
 <k en="T" t="0018" n="Acquisition"/>
 <k en="F" t="safeprivateelements" n="Safe private"/>
 <r en="T" t="privategroups">Remove private groups</r>
 <r en="F" t="curves">Remove curves</r>
</script>
"""

private let propertiesScript = """
# synthetic test script
param.UIDROOT=1.2.3.4
param.DATEINC = -10
set.[0010,0010]PatientName=@empty()
#set.[0010,0020]PatientID=@hash(this,8)
set.[0013,1010]ProjectName=@always()TRIAL & CO
keep.group18=Acquisition
#keep.safeprivateelements=
remove.privategroups=
#remove.curves=
"""

@Suite struct ParserTests {
    @Test(arguments: [xmlScript, propertiesScript])
    func readsBothFormatsToTheSameModel(text: String) throws {
        let script = try CTPScriptParser.parse(text, file: "t.script")
        #expect(script.parameters.map(\.name) == ["UIDROOT", "DATEINC"])
        #expect(script.parameter(named: "DATEINC") == "-10")
        #expect(script.elements.map(\.tag) == [Tag(0x0010, 0x0010), Tag(0x0010, 0x0020), Tag(0x0013, 0x1010)])
        #expect(script.elements.map(\.isEnabled) == [true, false, true])
        #expect(script.elements.map(\.name) == ["PatientName", "PatientID", "ProjectName"])
        #expect(script.elements[2].script == "@always()TRIAL & CO")
        #expect(script.elements[2].isAlways)
        #expect(script.keeps.map(\.target) == [.group(0x0018), .safePrivateElements])
        #expect(script.keeps.map(\.isEnabled) == [true, false])
        #expect(script.removals.map(\.target) == [.privateGroups, .curves])
        #expect(script.removals.map(\.isEnabled) == [true, false])
        #expect(try script.validate() == ())
    }

    @Test func recordsLineNumbers() throws {
        let xml = try CTPScriptParser.parse(xmlScript, file: "t.script")
        #expect(xml.parameters.map(\.line) == [3, 4])
        #expect(xml.elements.map(\.line) == [5, 6, 7])
        #expect(xml.keeps.map(\.line) == [8, 9])
        #expect(xml.removals.map(\.line) == [10, 11])
        let properties = try CTPScriptParser.parse(propertiesScript, file: "t.script")
        #expect(properties.parameters.map(\.line) == [2, 3])
        #expect(properties.elements.map(\.line) == [4, 5, 6])
        #expect(properties.keeps.map(\.line) == [7, 8])
        #expect(properties.removals.map(\.line) == [9, 10])
    }

    @Test func detectsFormatAsCTPDoes() {
        #expect(CTPScriptParser.isXML("  <script/>"))
        #expect(CTPScriptParser.isXML("# comment\n <script></script>"))
        #expect(!CTPScriptParser.isXML("param.A=<b>"))
    }

    @Test func parsesCallsArgumentsAndClauses() throws {
        let expression = try CTPExpressionParser.parse(#"A\@b@hashuid( @UIDROOT , [0010,0020] )@if(this,contains,"x,y"){@keep()}{@select(){1}{2}}z"#)
        #expect(expression.segments.count == 4)
        #expect(expression.segments[0] == .text("A@b"))
        guard case .call(let hashuid) = expression.segments[1], case .call(let iff) = expression.segments[2] else {
            Issue.record("expected calls")
            return
        }
        #expect(hashuid.name == "hashuid")
        #expect(hashuid.arguments.map(\.raw) == ["@UIDROOT", "[0010,0020]"])
        #expect(hashuid.arguments[0].parameterName == "UIDROOT")
        #expect(iff.arguments.map(\.raw) == ["this", "contains", "\"x,y\""])
        #expect(iff.arguments[2].unquoted == "x,y")
        #expect(iff.clauses.count == 2)
        #expect(iff.clauses[1].allCalls.map(\.name) == ["select"])
        #expect(expression.segments[3] == .text("z"))
        #expect(expression.allCalls.map(\.name) == ["hashuid", "if", "keep", "select"])
    }

    @Test func escapedCommaStaysInArgument() throws {
        let expression = try CTPExpressionParser.parse(#"@value(this,a\,b)"#)
        guard case .call(let call) = expression.segments.first else { Issue.record("no call"); return }
        #expect(call.arguments.map(\.raw) == ["this", "a,b"])
    }

    @Test func ifWithoutElseAtTheEndHasAnEmptyElse() throws {
        let expression = try CTPExpressionParser.parse("@if(this,exists){yes}")
        #expect(expression.allCalls.first?.clauses == [CTPExpression(segments: [.text("yes")]), CTPExpression(segments: [])])
    }

    @Test func disabledRuleThatDoesNotParseIsKeptAsText() throws {
        let script = try CTPScriptParser.parse(#"<script><e en="F" t="00100010" n="PatientName">@hash(this</e></script>"#, file: "t")
        #expect(script.elements.first?.expression == CTPExpression(segments: [.text("@hash(this")]))
        #expect(try script.validate() == ())
    }
}
