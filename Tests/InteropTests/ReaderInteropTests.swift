import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Deidentification
import Foundation
import Testing

/// What we write — de-identified and re-identified — is read by dcmtk, pydicom and dicom3tools.
struct ReaderInteropTests {
    static let fixtures = Interop.fixtureNames

    /// Our de-identified and re-identified versions of a fixture, written to `directory`.
    private func ourOutputs(_ name: String, in directory: TemporaryDirectory) throws -> (deidentified: String, reidentified: String) {
        let deidentified = try Interop.deidentifiedBytes(name)
        let reidentified = try Interop.reidentifiedBytes(deidentified)
        return (try Interop.write(deidentified, in: directory, "deidentified.dcm"),
                try Interop.write(reidentified, in: directory, "reidentified.dcm"))
    }

    // MARK: dcmtk

    @Test(.enabled(if: Peer.runnable(.dcmdump), Comment(rawValue: Peer.skipReason(.dcmdump))), arguments: fixtures)
    func dcmdumpReadsOurOutput(_ name: String) throws {
        let dcmdump = try #require(Interop.dcmdump)
        let directory = try TemporaryDirectory(prefix: "interop-dcmdump")
        defer { directory.remove() }
        let outputs = try ourOutputs(name, in: directory)
        for (role, path) in [("de-identified", outputs.deidentified), ("re-identified", outputs.reidentified)] {
            let outcome = try dcmdump.run([path])
            let errors = (outcome.stdoutText + outcome.stderrText).split(separator: "\n").filter { $0.hasPrefix("E:") }
            #expect(outcome.status == 0 && errors.isEmpty,
                    "dcmdump on \(role) \(name): status \(outcome.status), \(errors.joined(separator: "\n"))")
        }
    }

    // MARK: pydicom

    /// Reads each file given, decodes every element value of the file meta and the data set, nested items
    /// included, with every warning an error; prints one JSON line per file.
    static let pydicomScript = """
        import json, sys, warnings
        warnings.simplefilter("error")
        import pydicom
        from pydicom import config
        config.settings.reading_validation_mode = config.RAISE

        def walk(ds):
            count = 0
            for element in ds:
                _ = element.value
                count += 1
                if element.VR == "SQ":
                    for item in element.value:
                        count += walk(item)
            return count

        for path in sys.argv[1:]:
            try:
                ds = pydicom.dcmread(path)
                meta = walk(ds.file_meta)
                elements = walk(ds)
                removed = ds.get((0x0012, 0x0062))
                print(json.dumps({"path": path, "meta": meta, "elements": elements,
                                  "transferSyntax": str(ds.file_meta.TransferSyntaxUID),
                                  "patientIdentityRemoved": None if removed is None else str(removed.value)}))
            except Exception as error:
                print(json.dumps({"path": path, "error": f"{type(error).__name__}: {error}"}))
        """

    struct PydicomView: Decodable {
        var path: String
        var meta: Int?
        var elements: Int?
        var transferSyntax: String?
        var patientIdentityRemoved: String?
        var error: String?
    }

    @Test(.enabled(if: Peer.runnable(.pydicom), Comment(rawValue: Peer.skipReason(.pydicom))), arguments: fixtures)
    func pydicomReadsOurOutput(_ name: String) throws {
        let python = try #require(Interop.pydicom)
        let directory = try TemporaryDirectory(prefix: "interop-pydicom")
        defer { directory.remove() }
        let outputs = try ourOutputs(name, in: directory)
        let outcome = try python.run(["-c", Self.pydicomScript, outputs.deidentified, outputs.reidentified])
        try #require(outcome.status == 0, "python3: \(outcome.stderrText)")
        let views = try outcome.stdoutText.split(separator: "\n").map {
            try JSONDecoder().decode(PydicomView.self, from: Data($0.utf8))
        }
        try #require(views.count == 2, "\(outcome.stdoutText)")
        let original = try Interop.fixture(name)
        for (view, path) in zip(views, [outputs.deidentified, outputs.reidentified]) {
            #expect(view.error == nil, "pydicom on \(name) \(path): \(view.error ?? "")")
            let ours = try Part10Reader.read(contentsOf: path)
            #expect(view.transferSyntax == original.transferSyntax.uid)
            #expect(view.meta == DataSetComparison.elementCount(ours.meta), "file meta element count")
            #expect(view.elements == DataSetComparison.elementCount(ours.dataSet), "data set element count")
        }
        #expect(views[0].patientIdentityRemoved == "YES")
        #expect(views[1].patientIdentityRemoved == original.dataSet[Tag(0x0012, 0x0062)]?.string() ?? "NO")
    }

    // MARK: dicom3tools

    /// dciodvfy's error messages (`Error - ...`, also after a `(0xgggg,0xeeee)` prefix), with the values it
    /// quotes (`[1] = <value>`, `term <value>`) stripped so the same complaint about a different value compares
    /// equal; attribute and module names (`Element=<Name> Module=<Name>`) stay.
    static func dciodvfyErrors(_ path: String) throws -> Set<String> {
        let dciodvfy = try #require(Interop.dciodvfy)
        let outcome = try dciodvfy.run([path])
        let lines = (outcome.stdoutText + outcome.stderrText).split(separator: "\n")
        return Set(lines.filter { $0.hasPrefix("Error") || $0.contains(" Error - ") }.map { line in
            line.replacing(/(= |term |value )<[^>]*>/) { "\($0.output.1)<>" }
                .replacing(/\s+/, with: " ").trimmingCharacters(in: .whitespaces)
        })
    }

    /// The positive control for the check below: dciodvfy (and our reading of its messages) does flag a file with
    /// a known defect (the CT fixture without its Type 1 Modality), so "no new errors" cannot come from a tool that
    /// says nothing.
    @Test(.enabled(if: Peer.runnable(.dciodvfy), Comment(rawValue: Peer.skipReason(.dciodvfy))))
    func dciodvfyFlagsAMissingType1Attribute() throws {
        let directory = try TemporaryDirectory(prefix: "interop-dciodvfy-control")
        defer { directory.remove() }
        var file = try Part10Reader.read(contentsOf: Interop.fixturePath("ct-explicit-le.dcm"))
        try #require(file.dataSet.remove(Tag(0x0008, 0x0060)) != nil)
        let path = directory.url.appendingPathComponent("no-modality.dcm").path
        try Data(try Part10Writer.encode(file)).write(to: URL(fileURLWithPath: path))
        let before = try Self.dciodvfyErrors(Interop.fixturePath("ct-explicit-le.dcm"))
        let after = try Self.dciodvfyErrors(path)
        #expect(after.subtracting(before).contains { $0.contains("Missing attribute") && $0.contains("<Modality>") },
                "dciodvfy did not flag the missing Modality: \(after.sorted())")
    }

    /// dciodvfy finds no error in our output that it does not find in the input (the three fixtures have
    /// none; the CT's 50 warnings are intended, see Fixtures/README.md).
    @Test(.enabled(if: Peer.runnable(.dciodvfy), Comment(rawValue: Peer.skipReason(.dciodvfy))),
          arguments: ["ct-explicit-le.dcm", "mr-explicit-le.dcm", "sr-basic-text-explicit-le.dcm"])
    func dciodvfyFindsNoNewErrors(_ name: String) throws {
        let directory = try TemporaryDirectory(prefix: "interop-dciodvfy")
        defer { directory.remove() }
        let outputs = try ourOutputs(name, in: directory)
        let input = try Self.dciodvfyErrors(Interop.fixturePath(name))
        for (role, path) in [("de-identified", outputs.deidentified), ("re-identified", outputs.reidentified)] {
            let output = try Self.dciodvfyErrors(path)
            let new = output.subtracting(input).sorted()
            #expect(new.isEmpty, """
                dciodvfy: \(input.count) errors in \(name), \(output.count) in our \(role) output; new:
                \(new.joined(separator: "\n"))
                """)
        }
    }
}
