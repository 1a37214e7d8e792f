import DICOMTestSupport
import Foundation
import Testing
@testable import CTPScript

private func profile(_ name: String) throws -> CTPScript {
    let url = RepositoryPaths.root.appendingPathComponent("Profiles/ctp/\(name).script")
    let text = try String(contentsOf: url, encoding: .utf8)
    return try CTPScriptParser.parse(text, file: "\(name).script")
}

@Suite struct ProfileTests {
    /// Option profiles use parameters of the base profile they are stacked on.
    static let baseParameters = ["UIDROOT": "1.2.826.0.1.3680043.10.999", "DATEINC": "-1234"]

    @Test(arguments: [
        "DICOM-PS3.15-Basic", "DICOM-PS3.15-CleanDescriptors", "DICOM-PS3.15-CleanGraphics",
        "DICOM-PS3.15-CleanStructuredContent", "DICOM-PS3.15-RetainDeviceIDs", "DICOM-PS3.15-RetainLongitudinalFullDates",
        "DICOM-PS3.15-RetainLongitudinalModifiedDates", "DICOM-PS3.15-RetainPatientCharacteristics",
        "DICOM-PS3.15-RetainUIDs", "TCIA-Basic", "TCIA-BasicAdditions",
    ])
    func shippedProfileParsesAndValidates(name: String) throws {
        let script = try profile(name)
        #expect(!script.elements.isEmpty)
        try script.defining(parameters: Self.baseParameters).validate()
    }

    @Test func basicProfileValidatesAsShipped() throws {
        let script = try profile("DICOM-PS3.15-Basic")
        try script.validate()
        #expect(script.parameter(named: "UIDROOT") == "1.3.6.1.4.1.14519.5.2.1.9999.9999")
        #expect(script.elements.count > 250)
    }

    @Test func tciaBasicNeedsANumericDateOffset() throws {
        let script = try profile("TCIA-Basic")
        #expect(throws: CTPScriptError(.badArguments)) { try script.validate() }
        try script.overriding(parameters: ["DATEINC": "-2000"]).validate()
    }

    @Test func optionProfileWithoutItsBaseIsRefused() throws {
        let script = try profile("TCIA-BasicAdditions")
        #expect(throws: CTPScriptError(.undefinedParameter)) { try script.validate() }
    }

    @Test func ricordAppendixIProfileRulesValidate() throws {
        // Representative rules of RSNA's RICORD protocol, Appendix I, as a properties script.
        let script = try CTPScriptParser.parse(#"""
        param.UIDROOT=1.2.826.0.1.3680043.10.999
        param.SITEID=SITE9
        set.[0008,0018]SOPInstanceUID=@hashuid(@UIDROOT,this)
        set.[0008,0020]StudyDate=@hashdate(this,PatientID)
        set.[0008,0050]AccessionNumber=@hash(this,8)
        set.[0008,0080]InstitutionName=@empty()
        set.[0008,0081]InstitutionAddress=@remove()
        set.[0010,0010]PatientName=@param(@SITEID)-@integer(PatientID,"ptid",6)
        set.[0010,0020]PatientID=@param(@SITEID)-@integer(PatientID,"ptid",6)
        set.[0012,0062]PatientIdentityRemoved=@always()YES
        set.[0012,0063]DeIdentificationMethod=@always()@append(){RSNA Covid-19 Dataset Default}
        set.[0012,0064]DeIdentificationMethodCodeSeq=113100/113107/113108/113109
        remove.privategroups=
        """#, file: "ricord.properties")
        try script.validate()
        #expect(script.elements.count == 10)
    }
}
