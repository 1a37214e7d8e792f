import DICOMCore
import Foundation
import Testing
@testable import CTPScript

/// Expected results observed from CTP itself: the same scripts, data set and lookup table were run through
/// CTP's own `DICOMAnonymizer` (peers/ctp driver, CTP commit 361e90f8, 2025-05-13) on a synthetic file made
/// with pydicom, and the output elements read back. Hash and date functions are left out: they depend on the
/// real ``CTPFunctionSet``, not on this module. (`@blank(3)` and `@require()` read back as 3 spaces and the
/// unchanged value.)
@Suite struct CTPConformanceTests {
    static let dataSet: [DICOMCore.Tag: String] = [
        DICOMCore.Tag(0x0010, 0x0010): "DOE^JANE^Q",
        DICOMCore.Tag(0x0010, 0x0020): "PID-0042",
        DICOMCore.Tag(0x0008, 0x0020): "20200131",
        DICOMCore.Tag(0x0010, 0x1010): "047Y",
        DICOMCore.Tag(0x0010, 0x4000): "a/b/CT CHEST W/O",
        DICOMCore.Tag(0x0020, 0x4000): "",
    ]

    static let cases: [(UInt32, Bool, String, CTPOutcome)] = [
        (0x00081030, true, #"@contents(PatientID,"[^0-9]")"#, .set(#"0042"#)),  // StudyDescription
        (0x0008103E, true, #"@contents(PatientID,"PID-(\\d+)","X$1")"#, .set(#"X0042"#)),  // SeriesDescription
        (0x00181030, true, #"@value(OtherPatientIDs,"none")"#, .set(#"none"#)),  // ProtocolName
        (0x00081090, true, #"@truncate(PatientID,-4)"#, .set(#"0042"#)),  // ManufacturerModelName
        (0x00080070, true, #"@truncate(this,3)"#, .set(#"Tar"#)),  // Manufacturer
        (0x00181000, true, #"@lowercase(PatientName)"#, .set(#"doe^jane^q"#)),  // DeviceSerialNumber
        (0x00181020, true, #"@initials(PatientName)"#, .set(#"JQD"#)),  // SoftwareVersions
        (0x00081010, true, #"@initials(PatientName,1)"#, .set(#"KRE"#)),  // StationName
        (0x00080080, true, #"@pathelement(PatientComments,-1)"#, .set(#"O"#)),  // InstitutionName
        (0x00081040, true, #"@pathelement(PatientComments,1)"#, .set(#"b"#)),  // InstitutionalDepartmentName
        (0x001021B0, true, #"@if(PatientName,contains,jane){Y}{N}"#, .set(#"Y"#)),  // AdditionalPatientHistory
        (0x00102000, true, #"@if(PatientName,matches,"DOE.*"){Y}{N}"#, .set(#"Y"#)),  // MedicalAlerts
        (0x00102110, true, #"@if(PatientAge,greaterthan,"46"){Y}{N}"#, .set(#"Y"#)),  // Allergies
        (0x00102180, true, #"@if(ImageComments,isblank){B}{N}"#, .set(#"B"#)),  // Occupation
        (0x00380500, true, #"@if(OtherPatientIDs,exists){Y}{N}"#, .set(#"N"#)),  // PatientState
        (0x00400254, true, #"@select(){root}{item}"#, .set(#"root"#)),  // PerformedProcedureStepDescription
        (0x00180010, true, #"@append(){more}"#, .set(#"Target Value\more"#)),  // ContrastBolusAgent
        (0x00321060, false, #"@always()@append(){CTP}"#, .set(#"CTP"#)),  // RequestedProcedureDescription
        (0x00401001, false, #"@always()@require(PatientID)"#, .set(#"PID-0042"#)),  // RequestedProcedureID
        (0x00181400, false, #"@always()@require(OtherPatientNames,"DEF")"#, .set(#"DEF"#)),  // AcquisitionDeviceProcessingDescription
        (0x00200010, true, #"@blank(3)"#, .blank(3)),  // StudyID
        (0x00400253, true, #"ANON-@param(@SITEID)-\@x"#, .set(#"ANON-S01-@x"#)),  // PerformedProcedureStepID
        (0x00181004, true, #"@param(@SITEID)-@integer(PatientID,"ptid",6)"#, .set(#"S01-000001"#)),  // PlateID
        (0x00181016, true, #"@lookup(PatientID,ptid)"#, .set(#"SUBJ-1"#)),  // SecondaryCaptureDeviceManufacturer
        (0x00181018, true, #"@lookup(PatientName,missing,default,"ANON")"#, .set(#"ANON"#)),  // SecondaryCaptureDeviceManufacturerModelName
        (0x00181019, true, #"@if(PatientID,equals,@SITEID){Y}{N}"#, .set(#"N"#)),  // SecondaryCaptureDeviceSoftwareVersions
        (0x00400007, true, #"x@remove()y"#, .remove),  // ScheduledProcedureStepDescription
        (0x00402016, true, #"  padded  "#, .set(#"padded"#)),  // PlacerOrderNumberImagingServiceRequest
        (0x00402017, true, #"@if(this,exists){@if(PatientID,contains,42){deep}{shallow}}{none}"#, .set(#"deep"#)),  // FillerOrderNumberImagingServiceRequest
        (0x00401400, true, #"@uppercase(PatientComments)"#, .set(#"A/B/CT CHEST W/O"#)),  // RequestedProcedureComments
        (0x00402400, true, #"@require()"#, .keep),  // ImagingServiceRequestComments
        (0x00324000, true, #"@contents(this)@contents(PatientID)"#, .set(#"Target ValuePID-0042"#)),  // StudyComments
        (0x00321030, true, #"@if(PatientID,matches,"PID"){Y}{N}"#, .set(#"N"#)),  // ReasonForStudy
        (0x00189424, true, #"@value(this)"#, .set(#"Target Value"#)),  // AcquisitionProtocolDescription
        (0x00403001, true, #"@lookup(PatientName,missing,ignore,"DOE.*")"#, .set(#"DOE^JANE^Q"#)),  // ConfidentialityConstraintOnPatientDataDescription
        (0x00081070, true, #"@lookup(PatientName,missing,empty)"#, .empty),  // OperatorsName
        (0x00081050, true, #"@empty()"#, .empty),  // PerformingPhysicianName
    ]

    @Test func matchesCTPsOwnResults() throws {
        var lines = ["<script>", #" <p t="SITEID">S01</p>"#]
        var context = TestContext(values: Self.dataSet)
        for (tag, present, script, _) in Self.cases {
            let escaped = script.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            lines.append(#" <e en="T" t="\#(String(format: "%08X", tag))" n="Case">\#(escaped)</e>"#)
            if present { context.values[DICOMCore.Tag(tag)] = "Target Value" }
        }
        lines.append("</script>")
        context.lookups = ["ptid/PID-0042": "@alias/P42", "alias/P42": "SUBJ-1"]
        let script = try CTPScriptParser.parse(lines.joined(separator: "\n"), file: "conformance.script")
        try script.validate()
        let evaluator = CTPEvaluator(script: script, functions: TestOnlyCTPFunctions())
        for (tag, _, text, expected) in Self.cases {
            let rule = try #require(evaluator.rule(for: DICOMCore.Tag(tag)))
            #expect(try evaluator.evaluate(rule, context: context) == expected, "\(text)")
        }
    }
}

/// The properties format as CTP reads it (java.util.Properties, then CTP's own backslash escape); expected
/// values observed from CTP on Scripts/ctp-conformance/properties.script.
@Suite struct CTPPropertiesConformanceTests {
    static let text = #"""
    # synthetic
    param.SITEID : S01
    set.[0008,1030]StudyDescription=@contents(PatientID,"PID-(\\\\d+)","X$1")
    set.[0008,103E]SeriesDescription=@always()A\\B
    set.[0018,1030]ProtocolName=one \
        two
    set.[0008,1090]ManufacturerModelName @param(@SITEID)\u0041
    set.[0008,0070]Manufacturer=@contents(PatientID,"PID-(\\d+)","X$1")
    #set.[0018,1000]DeviceSerialNumber=@remove()
    set.[0010,0010]PatientName=@keep()
    """#

    @Test func matchesCTPsOwnResults() throws {
        let script = try CTPScriptParser.parse(Self.text, file: "properties.script")
        try script.validate()
        #expect(script.parameter(named: "SITEID") == "S01")
        #expect(script.elements.map(\.line) == [3, 4, 5, 7, 8, 9, 10])
        #expect(script.elements.map(\.isEnabled) == [true, true, true, true, true, false, true])
        let evaluator = CTPEvaluator(script: script, functions: TestOnlyCTPFunctions())
        let context = TestContext(values: [DICOMCore.Tag(0x0010, 0x0020): "PID-0042"])
        let expected: [(UInt32, CTPOutcome)] = [
            (0x0008_1030, .set("X0042")), (0x0008_103E, .set("AB")), (0x0018_1030, .set("one two")),
            (0x0008_1090, .set("S01A")), (0x0008_0070, .set("PID-0042")),
        ]
        for (tag, outcome) in expected {
            let rule = try #require(evaluator.rule(for: DICOMCore.Tag(tag)))
            #expect(try evaluator.evaluate(rule, context: context) == outcome, "\(rule.script)")
        }
        #expect(evaluator.rule(for: DICOMCore.Tag(0x0018, 0x1000)) == nil)
    }
}
