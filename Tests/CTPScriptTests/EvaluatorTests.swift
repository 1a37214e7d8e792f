import DICOMCore
import Foundation
import Testing
@testable import CTPScript

private typealias Tag = DICOMCore.Tag

private let patientName = Tag(0x0010, 0x0010)
private let patientID = Tag(0x0010, 0x0020)
private let studyDate = Tag(0x0008, 0x0020)
private let accession = Tag(0x0008, 0x0050)
private let sopInstanceUID = Tag(0x0008, 0x0018)
private let patientAge = Tag(0x0010, 0x1010)

/// Synthetic data set (fake PHI only).
private let dataSet: [Tag: String] = [
    patientName: "DOE^JANE^Q",
    patientID: "PID-0042",
    studyDate: "20200131",
    accession: "ACC7",
    sopInstanceUID: "1.9.8.7",
    patientAge: "047Y",
    Tag(0x0008, 0x1030): "CT CHEST W/O",
    Tag(0x0020, 0x4000): "",
]

/// Evaluates `body` as the rule for `tag` in a one-rule script with parameters.
private func run(_ body: String, tag: Tag = patientName, context: TestContext = TestContext(values: dataSet),
                 extraRules: String = "") throws -> CTPOutcome {
    let text = """
    <script>
     <p t="UIDROOT">1.2.3</p>
     <p t="SITEID">S01</p>
     <p t="DATEINC">-30</p>
     <p t="LEN">6</p>
     \(extraRules)
     <e en="T" t="\(String(format: "%08X", tag.combined))" n="Rule">\(body.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;"))</e>
    </script>
    """
    let script = try CTPScriptParser.parse(text, file: "e.script")
    try script.validate()
    let evaluator = CTPEvaluator(script: script, functions: TestOnlyCTPFunctions())
    guard let rule = evaluator.rule(for: tag) else { throw CTPScriptError(.evaluation, reason: "no rule") }
    return try evaluator.evaluate(rule, context: context)
}

@Suite struct EvaluatorTests {
    @Test(arguments: [
        // actions
        ("@keep()", CTPOutcome.keep),
        ("@remove()", .remove),
        ("x@remove()y", .remove),
        ("@empty()", .empty),
        ("", .empty),
        ("@blank(3)", .blank(3)),
        ("@blank(99)", .blank(55)),
        ("@process()", .process),
        ("@skip()", .skipFile),
        ("@always()FIXED", .set("FIXED")),
        ("  padded  ", .set("padded")),
        // text and concatenation, escapes
        ("ANON-@param(@SITEID)-\\@x", .set("ANON-S01-@x")),
        ("@param(@SITEID)-@integer(PatientID,\"ptid\",6)", .set("S01-000001")),
        // element access
        ("@contents(this)", .set("DOE^JANE^Q")),
        ("@contents(PatientID,\"[^0-9]\")", .set("0042")),
        // A backslash in an argument escapes the next character (CTP FnCall), so a regex \d is written \\d.
        ("@contents([0010,0020],\"PID-(\\\\d+)\",\"X$1\")", .set("X0042")),
        ("@contents((0010,0020))", .set("PID-0042")),
        ("@value(OtherPatientIDs,\"none\")", .set("none")),
        ("@value(PatientID,\"none\")", .set("PID-0042")),
        ("@truncate(this,3)", .set("DOE")),
        ("@truncate(PatientID,-4)", .set("0042")),
        ("@lowercase(this)", .set("doe^jane^q")),
        ("@uppercase(StudyDescription)", .set("CT CHEST W/O")),
        ("@initials(this)", .set("JQD")),
        ("@initials(this,1)", .set("KRE")),
        ("@pathelement(StudyDescription,0)", .set("CT CHEST W")),
        ("@pathelement(StudyDescription,-1)", .set("O")),
        // hashes (stand-in functions show their inputs)
        ("@hash(this,8)", .set("H(DOE^JANE^Q,8)")),
        ("@hash(PatientID, @LEN)", .set("H(PID-0042,6)")),
        ("@hash(this)", .set("H(DOE^JANE^Q)")),
        ("@hash(OtherPatientIDs,8)", .remove),
        ("@hashname(this,6,2)", .set("N(DOE^JANE^Q,6,2)")),
        ("@hashname(this,@LEN)", .set("N(DOE^JANE^Q,6,all)")),
        ("@hashptid(@SITEID,PatientID,10)", .set("PT(S01,PID-0042,10)")),
        ("@hashptid(@SITEID,PatientID)", .set("PT(S01,PID-0042,max)")),
        ("@hashuid(@UIDROOT,SOPInstanceUID)", .set("1.2.3.<1.9.8.7>")),
        ("@hashuid(@UIDROOT,StudyInstanceUID)", .remove),
        // dates
        ("@incrementdate(StudyDate,@DATEINC)", .set("20200131-30")),
        ("@incrementdate(StudyDate,7)", .set("20200131+7")),
        ("@incrementdate(PatientBirthDate,@DATEINC)", .remove),
        ("@hashdate(StudyDate,PatientID)", .set("20200131~PID-0042")),
        ("@hashdate(StudyDate,OtherPatientIDs)", .remove),
        ("@modifydate(StudyDate,*,1,@LEN)", .set("20200131[-1,1,6]")),
        ("@date()", .set("20010203")),
        ("@date(-)", .set("2001-02-03")),
        ("@time(:)", .set("04:05:06")),
        ("@round(PatientAge,10)", .set("050Y")),
        // conditionals
        ("@if(this,isblank){B}{N}", .set("N")),
        ("@if(ImageComments,isblank){B}{N}", .set("B")),
        ("@if(OtherPatientIDs,isblank){B}{N}", .set("B")),
        ("@if(this,contains,jane){Y}{N}", .set("Y")),
        ("@if(this,equals,\"doe^jane^q\"){Y}{N}", .set("Y")),
        ("@if(this,matches,\"DOE.*\"){Y}{N}", .set("Y")),
        ("@if(this,matches,\"JANE\"){Y}{N}", .set("N")),
        ("@if(PatientID,exists){Y}{N}", .set("Y")),
        ("@if(OtherPatientIDs,exists){Y}{N}", .set("N")),
        ("@if(PatientAge,greaterthan,\"46\"){@keep()}{@remove()}", .keep),
        ("@if(PatientAge,greaterthan,\"90\"){@keep()}{@remove()}", .remove),
        ("@if(PatientID,equals,@SITEID){Y}{N}", .set("N")),
        ("@if(this,exists){@if(PatientID,contains,42){deep}{shallow}}{none}", .set("deep")),
        ("@select(){root}{item}", .set("root")),
        // append, require
        ("@always()@append(){more}", .set("DOE^JANE^Q\\more")),
        ("@require()", .keep),
    ])
    func evaluatesFunctions(body: String, expected: CTPOutcome) throws {
        #expect(try run(body) == expected)
    }

    @Test func selectPicksElseInsideSequenceItems() throws {
        var context = TestContext(values: dataSet)
        context.isRootDataSet = false
        #expect(try run("@select(){@keep()}{@hashuid(@UIDROOT,this)}", tag: sopInstanceUID, context: context)
                == .set("1.2.3.<1.9.8.7>"))
    }

    @Test func appendToAbsentOrEmptyElementIsTheTextAlone() throws {
        #expect(try run("@always()@append(){CTP}", tag: Tag(0x0012, 0x0063)) == .set("CTP"))
        #expect(try run("@always()@append(){CTP}", tag: Tag(0x0020, 0x4000)) == .set("CTP"))
    }

    @Test func requireOfAbsentElementCopiesOrDefaultsOrBlanks() throws {
        let absent = Tag(0x0010, 0x1000)
        #expect(try run("@always()@require(PatientID)", tag: absent) == .set("PID-0042"))
        #expect(try run("@always()@require(OtherPatientNames,\"DEF\")", tag: absent) == .set("DEF"))
        #expect(try run("@always()@require(OtherPatientNames,\"  \")", tag: absent) == .blank(2))
        #expect(try run("@always()@require()", tag: absent) == .empty)
    }

    @Test func lookupUsesTableWithIndirectionAndFallbacks() throws {
        var context = TestContext(values: dataSet)
        context.lookups = ["ptid/PID-0042": "@alias/P42", "alias/P42": "SUBJECT-1", "uc/DOE^JANE^Q": "NO"]
        #expect(try run("@lookup(PatientID,ptid)", context: context) == .set("SUBJECT-1"))
        #expect(try run("@lookup(this,missing,keep)", context: context) == .keep)
        #expect(try run("@lookup(this,missing,remove)", context: context) == .remove)
        #expect(try run("@lookup(this,missing,empty)", context: context) == .empty)
        #expect(try run("@lookup(this,missing,default,\"ANON\")", context: context) == .set("ANON"))
        #expect(try run("@lookup(PatientID,missing,ignore,\"PID-.*\")", context: context) == .set("PID-0042"))
        #expect(try run("@lookup(this,missing)", context: context)
                == .quarantineFile("(0010,0010) Rule: @lookup(this,missing): no entry for the key"))
        context.lookups["multi/PID-0042|20200131"] = "BOTH"
        #expect(try run("@lookup(PatientID|StudyDate,multi)", context: context) == .set("BOTH"))
    }

    @Test func incrementDateByLookedUpOffset() throws {
        var context = TestContext(values: dataSet)
        context.lookups = ["offset/PID-0042": "-12"]
        #expect(try run("@incrementdate(StudyDate,PatientID,offset)", tag: studyDate, context: context)
                == .set("20200131-12"))
        #expect(try run("@incrementdate(StudyDate,PatientID,nothere)", tag: studyDate, context: context) == .empty)
    }

    @Test func multiValuedDatesAreShiftedOneByOne() throws {
        var context = TestContext(values: dataSet)
        context.values[studyDate] = "20200131\\20210101"
        #expect(try run("@incrementdate(this,1)", tag: studyDate, context: context) == .set("20200131+1\\20210101+1"))
        context.values[studyDate] = "2020"
        #expect(try run("@incrementdate(this,1)", tag: studyDate, context: context) == .empty)
    }

    @Test func integerFailureQuarantines() throws {
        var context = TestContext(values: dataSet)
        context.integerFails = true
        #expect(try run("@integer(PatientID,ptid,4)", context: context)
                == .quarantineFile("(0010,0010) Rule: @integer(PatientID,ptid,4): integer table unavailable"))
        #expect(try run("@quarantine()") == .quarantineFile("(0010,0010) Rule: @quarantine()"))
    }

    @Test func hashuidThirdArgumentAppendsTheOtherRulesResult() throws {
        let extra = #"<e en="T" t="00100020" n="PatientID">X@param(@SITEID)</e>"#
        #expect(try run("@hashuid(@UIDROOT,SOPInstanceUID,PatientID)", tag: sopInstanceUID, extraRules: extra)
                == .set("1.2.3.<1.9.8.7XS01>"))
    }

    @Test func privateElementNamesFromTheScriptAreReferences() throws {
        var context = TestContext(values: dataSet)
        context.values[Tag(0x0013, 0x1010)] = "PRJ"
        let extra = #"<e en="T" t="00131010" n="ProjectName">@keep()</e>"#
        #expect(try run("@contents(ProjectName)", context: context, extraRules: extra) == .set("PRJ"))
    }

    @Test func globalsReportKeepsAndRemovals() throws {
        let script = try CTPScriptParser.parse("""
        keep.group0018=
        keep.safeprivateelements=
        remove.privategroups=
        remove.overlays=
        #remove.curves=
        """, file: "g")
        let globals = CTPEvaluator(script: script, functions: TestOnlyCTPFunctions()).globals
        #expect(globals.keepsGroup(of: Tag(0x0018, 0x0050)))
        #expect(!globals.keepsGroup(of: Tag(0x0010, 0x0010)))
        #expect(globals.keepsSafePrivateElements && globals.removesPrivateGroups && globals.removesOverlays)
        #expect(!globals.removesCurves && !globals.removesUnspecifiedElements)
        #expect(globals.isKept(Tag(0x0028, 0x0010)))
        #expect(globals.isKept(Tag(0x5000, 0x0010)))
        #expect(!globals.isKept(Tag(0x6000, 0x3000)))
        #expect(globals.isKept(Tag(0x0009, 0x0010)))
        #expect(globals.isKept(Tag(0x0009, 0x1001), isSafePrivate: true))
        #expect(!globals.isKept(Tag(0x0009, 0x1001)))
    }

    @Test func replacementTextIsCTPsRawResult() throws {
        let script = try CTPScriptParser.parse(#"<script><e en="T" t="00100010" n="PatientName">@select(){@keep()}{x}</e></script>"#, file: "r")
        let evaluator = CTPEvaluator(script: script, functions: TestOnlyCTPFunctions())
        let rule = try #require(evaluator.rule(for: patientName))
        #expect(try evaluator.replacementText(rule, context: TestContext(values: dataSet)) == "@keep()")
    }
}

@Suite struct MethodCodeTests {
    private func update(_ body: String) throws -> CTPMethodCodeUpdate {
        let script = try CTPScriptParser.parse(#"<script><e en="T" t="00120064" n="DeIdentificationMethodCodeSequence">"# + body + "</e></script>", file: "m")
        let evaluator = CTPEvaluator(script: script, functions: TestOnlyCTPFunctions())
        let rule = try #require(evaluator.rule(for: DICOMCore.Tag(0x0012, 0x0064)))
        return try evaluator.methodCodeUpdate(rule, context: TestContext())
    }

    @Test func codesSplitOnSlashWithReset() throws {
        #expect(try update("@remove()") == .remove)
        #expect(try update("@keep()") == .keep)
        #expect(try update("113100/113107") == .append(resetExisting: false, codes: [
            CTPMethodCode(codingSchemeDesignator: "DCM", codeValue: "113100", codeMeaning: "Basic Application Confidentiality Profile"),
            CTPMethodCode(codingSchemeDesignator: "DCM", codeValue: "113107",
                          codeMeaning: "Retain Longitudinal Temporal Information Modified Dates Option"),
        ]))
        #expect(try update("113100/RESET/999") == .append(resetExisting: true, codes: [
            CTPMethodCode(codingSchemeDesignator: "UNKNOWN", codeValue: "999", codeMeaning: "UNKNOWN"),
        ]))
    }
}
