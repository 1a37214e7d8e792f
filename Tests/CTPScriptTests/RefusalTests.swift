import DICOMCore
import Testing
@testable import CTPScript

/// A one-rule XML script; the rule is on line 3.
private func script(_ body: String, tag: String = "00100010", name: String = "PatientName") -> String {
    """
    <script>
     <p t="SITEID">S01</p>
     <e en="T" t="\(tag)" n="\(name)">\(body)</e>
    </script>
    """
}

private func refusal(_ text: String) -> String {
    do {
        let parsed = try CTPScriptParser.parse(text, file: "p.script")
        try parsed.validate()
        return "accepted"
    } catch {
        return error.description
    }
}

@Suite struct RefusalTests {
    @Test(arguments: [
        ("@foo(this)", "p.script:3: element (0010,0010) PatientName: unknown function @foo"),
        ("@encrypt(this,@SITEID)", "p.script:3: element (0010,0010) PatientName: unsupported function @encrypt"),
        ("@decrypt(this,@SITEID)", "p.script:3: element (0010,0010) PatientName: unsupported function @decrypt"),
        ("@call(plugin,this)", "p.script:3: element (0010,0010) PatientName: unsupported function @call"),
        ("@dateinterval(StudyDate,base,PatientID)",
         "p.script:3: element (0010,0010) PatientName: unsupported function @dateinterval"),
        ("@if(this,isblank){@foo()}{x}", "p.script:3: element (0010,0010) PatientName: unknown function @foo"),
        ("@hashuid(@UIDROOT,this)", "p.script:3: element (0010,0010) PatientName: undefined parameter @UIDROOT"),
        ("@param($NOPE)", "p.script:3: element (0010,0010) PatientName: undefined parameter @NOPE"),
        ("@hash(PatientNam,8)", "p.script:3: element (0010,0010) PatientName: @hash: unknown element \"PatientNam\""),
        ("@hash(this", "p.script:3: element (0010,0010) PatientName: missing ')' after \"@hash(\""),
        ("@hashuid(this)", "p.script:3: element (0010,0010) PatientName: @hashuid takes 2 to 3 arguments, got 1"),
        ("@empty(x)", "p.script:3: element (0010,0010) PatientName: @empty takes 0 arguments, got 1"),
        ("@if(this,resembles,x){a}{b}",
         "p.script:3: element (0010,0010) PatientName: @if: unknown condition \"resembles\" (expected isblank, contains, equals, matches, exists, greaterthan)"),
        ("@if(this,equals){a}{b}",
         "p.script:3: element (0010,0010) PatientName: @if(..., equals) needs a value to compare with"),
        ("@contents(this,\"[a-\")", "p.script:3: element (0010,0010) PatientName: @contents: bad regular expression \"[a-\""),
        ("@incrementdate(this,@SITEID)",
         "p.script:3: element (0010,0010) PatientName: @incrementdate: parameter @SITEID is not an integer: \"S01\""),
        ("@truncate(this,x)", "p.script:3: element (0010,0010) PatientName: @truncate: \"x\" is not an integer"),
        ("@select(){a}", "p.script:3: element (0010,0010) PatientName: accepted-marker"),
        ("@SITEID", "p.script:3: element (0010,0010) PatientName: '@' without '(' in \"@SITEID\""),
        ("@if(this,exists){a} b", "p.script:3: element (0010,0010) PatientName: @if needs an {else} clause before further text"),
        ("@append()", "p.script:3: element (0010,0010) PatientName: @append needs a {text} clause"),
    ])
    func refusesWithOneLineMessage(body: String, expected: String) {
        let message = refusal(script(body))
        if expected.hasSuffix("accepted-marker") {
            #expect(message == "accepted")
        } else {
            #expect(message == expected)
            #expect(!message.contains("\n"))
        }
    }

    @Test func refusesBadTags() {
        #expect(refusal(script("@keep()", tag: "0010001")) == "p.script:3: bad tag t=\"0010001\" (need 8 hex digits)")
        #expect(refusal("set.[0010,001G]PatientName=@keep()") == "p.script:1: bad tag \"[0010,001G]\"")
        #expect(refusal("keep.groupXYZW=x") == "p.script:1: bad group \"XYZW\" in keep (need up to 4 hex digits)")
    }

    @Test func refusesUnknownPropertiesLinesAndGlobals() {
        #expect(refusal("param.A=1\nsett.[0010,0010]X=@keep()")
                == "p.script:2: unknown key \"sett.[0010,0010]X\" (expected param., set., keep. or remove.)")
        #expect(refusal(#"<script><r en="T" t="everything"/></script>"#) == "p.script:1: unknown removal t=\"everything\"")
        #expect(refusal("<script><e></script>").hasPrefix("p.script:1: malformed XML"))
        #expect(refusal("<profile/>") == "p.script:1: root element is <profile>, expected <script>")
    }

    @Test func reportsLineOfTheOffendingRule() {
        let text = """
        <script>
         <e en="T" t="00100010" n="PatientName">@empty()</e>

         <e en="T" t="00100020" n="PatientID">@hashptid(@SITE,this)</e>
        </script>
        """
        #expect(refusal(text) == "p.script:4: element (0010,0020) PatientID: undefined parameter @SITE")
    }

    @Test func disabledRulesAreNotValidated() {
        #expect(refusal(#"<script><e en="F" t="00100010" n="PatientName">@encrypt(this,k)</e></script>"#) == "accepted")
    }

    @Test func errorsCompareByCode() throws {
        #expect(throws: CTPScriptError(.unknownFunction)) {
            try CTPScriptParser.parse(script("@foo()"), file: "p").validate()
        }
    }

    @Test func overridesKnownParametersOnly() throws {
        let parsed = try CTPScriptParser.parse(script("@param(@SITEID)"), file: "p.script")
        let overridden = try parsed.overriding(parameters: ["SITEID": " S99 "])
        #expect(overridden.parameter(named: "SITEID") == "S99")
        #expect(throws: CTPScriptError(.unknownParameter)) { try parsed.overriding(parameters: ["SITE": "x"]) }
        do {
            _ = try parsed.overriding(parameters: ["SITE": "x"])
        } catch {
            #expect(error.description == "p.script: unknown parameter SITE (the script defines: SITEID)")
        }
        #expect(parsed.defining(parameters: ["UIDROOT": "1.2"]).parameter(named: "UIDROOT") == "1.2")
    }
}

/// The one error design (issue 13 item 4): throw site in this module, place as read-only context, codes in words.
@Suite struct ScriptErrorDesignTests {
    @Test func refusalRecordsItsThrowSiteAndPlace() throws {
        let error = try #require(throws: CTPScriptError.self) {
            try CTPScriptParser.parse(script("@foo(this)"), file: "p.script").validate()
        }
        #expect(error.code == .unknownFunction)
        #expect(error.thrownAt.fileID.hasPrefix("CTPScript/"))
        #expect(error.file == "p.script" && error.line == 3 && error.element == Tag(0x0010, 0x0010))
        #expect(error.elementName == "PatientName")
    }

    @Test func functionFailureIsTypedAndReadsInWords() throws {
        let error = try #require(throws: CTPScriptError.self) {
            _ = try CTPStandardFunctions().incrementDate("not a date", days: 1)
        }
        #expect(error.code == .functionFailed)
        #expect(error.thrownAt.fileID == "CTPScript/CTPStandardFunctions.swift")
        #expect(error.description == ": function failed")
        let chained = CTPScriptError(.evaluation, file: "p.script", line: 4, reason: "outer", cause: error)
        #expect(chained.description == "p.script:4: outer: \(error)")
        #expect((chained.cause as? CTPScriptError)?.code == .functionFailed)
    }
}
