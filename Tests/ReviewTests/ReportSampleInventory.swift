import Foundation

/// A hand-written inventory JSON shaped like the one `dicom-review inventory Fixtures/*.dcm --show-values` gives
/// for the 12 fixtures (synthetic values only): 24 rows, standard and private, nested paths, every row flag,
/// an estimated distinct count, occurrence counts whose text order differs from their numeric order, and values
/// that would break a page that did not escape them.
enum ReportSampleInventory {
    static let rowCount = 24
    /// Rows with at least one flag.
    static let flaggedRowCount = 9
    /// Flags over all rows (one badge each in the table).
    static let rowFlagCount = 11
    /// Occurrences run from 1 to 120; "9" sorts after "120" as text, so a text sort would give a different order.
    static let fewestOccurrencesKey = "(0009,\"OTHER FAKE\",01)"
    static let mostOccurrencesKey = "(0008,0018)"
    /// Rows whose text (key, keyword, path, rule, origin, flags, examples) contains "patient", case-insensitive.
    static let patientRowCount = 6
    /// Of those, the flagged ones.
    static let flaggedPatientRowCount = 1

    static let json = #"""
        {
          "tool": "dicom-review 0.1.0",
          "files": 12,
          "failedFiles": 0,
          "profile": "Basic Profile",
          "distinctValueCap": 1000,
          "summary": {
            "sopClasses": {"CT Image Storage": 5, "Secondary Capture Image Storage": 3, "Enhanced CT Image Storage": 1,
                           "MR Image Storage": 1, "RT Structure Set Storage": 1, "Basic Text SR Storage": 1},
            "modalities": {"CT": 6, "OT": 3, "MR": 1, "RTSTRUCT": 1, "SR": 1},
            "manufacturers": {"FAKECO MEDICAL": 11, "<b>ACME</b> & \"Sons\"": 1}
          },
          "rows": [
            {"key": "(0008,0016)", "keyword": "SOPClassUID", "path": "SOPClassUID", "vrs": ["UI"], "files": 12,
             "occurrences": 12, "distinctValues": 6, "distinctIsEstimate": false, "minLength": 25, "maxLength": 30,
             "action": "keep", "rule": "not in Table E.1-1", "origin": "Basic Profile default", "flags": []},
            {"key": "(0008,0018)", "keyword": "SOPInstanceUID", "path": "SOPInstanceUID", "vrs": ["UI"], "files": 12,
             "occurrences": 120, "distinctValues": 1200, "distinctIsEstimate": true, "minLength": 44, "maxLength": 64,
             "action": "replace UID", "rule": "E.1-1 U", "origin": "Table E.1-1 (0008,0018) SOP Instance UID, Basic Profile",
             "flags": []},
            {"key": "(0008,0020)", "keyword": "StudyDate", "path": "StudyDate", "vrs": ["DA"], "files": 12,
             "occurrences": 12, "distinctValues": 2, "distinctIsEstimate": false, "minLength": 8, "maxLength": 8,
             "action": "shift dates", "rule": "E.1-1 Z, Retain Longitudinal Temporal Information Modified Dates",
             "origin": "Table E.1-1 (0008,0020) Study Date, Basic Profile", "flags": []},
            {"key": "(0008,0050)", "keyword": "AccessionNumber", "path": "AccessionNumber", "vrs": ["SH"], "files": 12,
             "occurrences": 12, "distinctValues": 3, "distinctIsEstimate": false, "minLength": 10, "maxLength": 14,
             "action": "empty", "rule": "E.1-1 Z", "origin": "Table E.1-1 (0008,0050) Accession Number, Basic Profile",
             "flags": [], "examples": ["CANARY-ACC-0001", "CANARY-ACC-0002"]},
            {"key": "(0008,0070)", "keyword": "Manufacturer", "path": "Manufacturer", "vrs": ["LO"], "files": 12,
             "occurrences": 12, "distinctValues": 2, "distinctIsEstimate": false, "minLength": 14, "maxLength": 22,
             "action": "keep", "rule": "not in Table E.1-1", "origin": "Basic Profile default",
             "flags": ["freeTextKept"], "examples": ["FAKECO MEDICAL", "<b>ACME</b> & \"Sons\""]},
            {"key": "(0008,0080)", "keyword": "InstitutionName", "path": "InstitutionName", "vrs": ["LO"], "files": 12,
             "occurrences": 12, "distinctValues": 4, "distinctIsEstimate": false, "minLength": 22, "maxLength": 34,
             "action": "remove", "rule": "E.1-1 X", "origin": "Table E.1-1 (0008,0080) Institution Name, Basic Profile",
             "flags": []},
            {"key": "(0008,0090)", "keyword": "ReferringPhysicianName", "path": "ReferringPhysicianName", "vrs": ["PN"],
             "files": 11, "occurrences": 11, "distinctValues": 3, "distinctIsEstimate": false, "minLength": 12,
             "maxLength": 30, "action": "empty", "rule": "E.1-1 Z",
             "origin": "Table E.1-1 (0008,0090) Referring Physician's Name, Basic Profile", "flags": []},
            {"key": "(0008,1030)", "keyword": "StudyDescription", "path": "StudyDescription", "vrs": ["LO"], "files": 12,
             "occurrences": 12, "distinctValues": 5, "distinctIsEstimate": false, "minLength": 18, "maxLength": 40,
             "action": "keep", "rule": "Retain Description", "origin": "--retain-descriptions (CTP script: keep)",
             "flags": ["freeTextKept"], "examples": ["CANARY STUDY DESCRIPTION CT", "<script>alert('x')</script>"]},
            {"key": "(0008,103E)", "keyword": "SeriesDescription", "path": "SeriesDescription", "vrs": ["LO"],
             "files": 12, "occurrences": 12, "distinctValues": 6, "distinctIsEstimate": false, "minLength": 24,
             "maxLength": 36, "action": "keep", "rule": "Retain Description",
             "origin": "--retain-descriptions (CTP script: keep)", "flags": ["freeTextKept"]},
            {"key": "(0008,1110)", "keyword": "ReferencedStudySequence", "path": "ReferencedStudySequence", "vrs": ["SQ"],
             "files": 5, "occurrences": 5, "distinctValues": 0, "distinctIsEstimate": false, "action": "clean items",
             "rule": "E.1-1 X/C", "origin": "Table E.1-1 (0008,1110) Referenced Study Sequence, Basic Profile",
             "flags": []},
            {"key": "(0008,1155)", "keyword": "ReferencedSOPInstanceUID",
             "path": "ReferencedStudySequence[*].ReferencedSOPInstanceUID", "vrs": ["UI"], "files": 5,
             "occurrences": 10, "distinctValues": 2, "distinctIsEstimate": false, "minLength": 44, "maxLength": 44,
             "action": "replace UID", "rule": "E.1-1 U",
             "origin": "Table E.1-1 (0008,1155) Referenced SOP Instance UID, Basic Profile", "flags": []},
            {"key": "(0009,\"ACME FAKE 1.0\",01)", "keyword": "", "path": "(0009,\"ACME FAKE 1.0\",01)", "vrs": ["LO"],
             "files": 8, "occurrences": 8, "distinctValues": 1, "distinctIsEstimate": false, "minLength": 20,
             "maxLength": 20, "action": "remove", "rule": "private attributes",
             "origin": "PS3.15 E.3.10 private attributes, Basic Profile", "flags": ["unknownCreator"]},
            {"key": "(0009,\"OTHER FAKE\",01)", "keyword": "", "path": "(0009,\"OTHER FAKE\",01)", "vrs": ["UN", "LO"],
             "files": 1, "occurrences": 1, "distinctValues": 1, "distinctIsEstimate": false, "minLength": 16,
             "maxLength": 16, "action": "keep", "rule": "private-dispositions.csv: OTHER FAKE 0009,01 keep",
             "origin": "--private-dispositions site.csv line 3", "flags": ["privateKept", "freeTextKept"],
             "examples": ["CANARY PATIENT NOTE 1"]},
            {"key": "(0010,0010)", "keyword": "PatientName", "path": "PatientName", "vrs": ["PN"], "files": 12,
             "occurrences": 14, "distinctValues": 3, "distinctIsEstimate": false, "minLength": 4, "maxLength": 22,
             "action": "dummy", "rule": "E.1-1 Z, Type 2 -> Z",
             "origin": "Table E.1-1 (0010,0010) Patient's Name, Basic Profile", "flags": [],
             "examples": ["CANARYPN^DOE^JANE", "CANARYPN^OLDNAME^BEFORE", "Ünïcødé^Nämé"]},
            {"key": "(0010,0020)", "keyword": "PatientID", "path": "PatientID", "vrs": ["LO"], "files": 12,
             "occurrences": 12, "distinctValues": 3, "distinctIsEstimate": false, "minLength": 15, "maxLength": 19,
             "action": "replace", "rule": "E.1-1 Z, pseudonym", "origin": "Table E.1-1 (0010,0020) Patient ID, Basic Profile",
             "flags": []},
            {"key": "(0010,0020)", "keyword": "PatientID", "path": "OtherPatientIDsSequence[*].PatientID", "vrs": ["LO"],
             "files": 9, "occurrences": 18, "distinctValues": 18, "distinctIsEstimate": false, "minLength": 18,
             "maxLength": 18, "action": "mixed", "rule": "E.1-1 X (parent removed)",
             "origin": "Table E.1-1 (0010,1002) Other Patient IDs Sequence, Basic Profile", "flags": []},
            {"key": "(0010,0030)", "keyword": "PatientBirthDate", "path": "PatientBirthDate", "vrs": ["DA"], "files": 12,
             "occurrences": 12, "distinctValues": 3, "distinctIsEstimate": false, "minLength": 8, "maxLength": 8,
             "action": "empty", "rule": "E.1-1 Z", "origin": "Table E.1-1 (0010,0030) Patient's Birth Date, Basic Profile",
             "flags": []},
            {"key": "(0010,1002)", "keyword": "OtherPatientIDsSequence", "path": "OtherPatientIDsSequence", "vrs": ["SQ"],
             "files": 9, "occurrences": 9, "distinctValues": 0, "distinctIsEstimate": false, "action": "remove",
             "rule": "E.1-1 X", "origin": "Table E.1-1 (0010,1002) Other Patient IDs Sequence, Basic Profile",
             "flags": []},
            {"key": "(0018,1000)", "keyword": "DeviceSerialNumber", "path": "DeviceSerialNumber", "vrs": ["LO"],
             "files": 12, "occurrences": 12, "distinctValues": 2, "distinctIsEstimate": false, "minLength": 9,
             "maxLength": 12, "action": "keep", "rule": "Retain Device Identity",
             "origin": "--retain-device-identity", "flags": ["freeTextKept"]},
            {"key": "(0019,\"Philips PET Private Group\",10)", "keyword": "SUVFactor",
             "path": "(0019,\"Philips PET Private Group\",10)", "vrs": ["DS"], "files": 6, "occurrences": 6,
             "distinctValues": 1, "distinctIsEstimate": false, "minLength": 6, "maxLength": 6, "action": "keep",
             "rule": "Safe Private (Retain Safe Private)", "origin": "PS3.15 Table E.3.10-1",
             "flags": ["privateKept"]},
            {"key": "(0020,000D)", "keyword": "StudyInstanceUID", "path": "StudyInstanceUID", "vrs": ["UI"], "files": 12,
             "occurrences": 12, "distinctValues": 3, "distinctIsEstimate": false, "minLength": 44, "maxLength": 64,
             "action": "replace UID", "rule": "E.1-1 U",
             "origin": "Table E.1-1 (0020,000D) Study Instance UID, Basic Profile", "flags": []},
            {"key": "(0028,0301)", "keyword": "BurnedInAnnotation", "path": "BurnedInAnnotation", "vrs": ["CS"],
             "files": 4, "occurrences": 4, "distinctValues": 2, "distinctIsEstimate": false, "minLength": 2,
             "maxLength": 4, "action": "keep", "rule": "not in Table E.1-1", "origin": "Basic Profile default",
             "flags": []},
            {"key": "(0029,1001)", "keyword": "", "path": "(0029,1001)", "vrs": ["UN"], "files": 2, "occurrences": 2,
             "distinctValues": 1, "distinctIsEstimate": false, "minLength": 2, "maxLength": 2, "action": "remove",
             "rule": "private attributes", "origin": "PS3.15 E.3.10 private attributes (no private creator)",
             "flags": ["unknownCreator", "notInDictionary"]},
            {"key": "(0071,0010)", "keyword": "", "path": "ContentSequence[*].(0071,0010) & <more>", "vrs": ["UN"],
             "files": 1, "occurrences": 9, "distinctValues": 1, "distinctIsEstimate": false, "minLength": 0,
             "maxLength": 0, "action": "keep", "rule": "not in Table E.1-1",
             "origin": "Basic Profile default", "flags": ["notInDictionary"]}
          ],
          "fileFlags": [
            {"file": "Fixtures/sc-latin1-explicit-le.dcm", "flags": ["burnedInModality", "burnedInSOPClass"],
             "modality": "OT", "sopClass": "Secondary Capture Image Storage"},
            {"file": "Fixtures/sc-utf8-explicit-le.dcm", "flags": ["burnedInAnnotation", "burnedInSOPClass"],
             "modality": "OT", "sopClass": "Secondary Capture Image Storage"},
            {"file": "Fixtures/sc-group-lengths-explicit-le.dcm", "flags": ["burnedInSOPClass"], "modality": "OT",
             "sopClass": "Secondary Capture Image Storage"}
          ]
        }
        """#

    static var data: Data { Data(json.utf8) }

    /// The same inventory as a curator would usually see it, for the screenshot in docs/review.md: made without
    /// `--show-values` (no examples), and without the values that only test escaping.
    static var docsData: Data {
        get throws {
            guard var document = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                  var summary = document["summary"] as? [String: Any],
                  let rows = document["rows"] as? [[String: Any]]
            else { throw BrowserTestError("the sample inventory is not a JSON object with summary and rows") }
            summary["manufacturers"] = ["FAKECO MEDICAL": 12]
            document["summary"] = summary
            document["rows"] = rows.map { row in
                var row = row
                row["examples"] = nil
                if row["key"] as? String == "(0071,0010)" { row["path"] = "ContentSequence[*].(0071,0010)" }
                return row
            }
            return try JSONSerialization.data(withJSONObject: document)
        }
    }
}
