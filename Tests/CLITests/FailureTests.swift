import FileSystem
import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Foundation
import Testing

/// Expects exactly one standard error line naming `path`, containing `text` when given.
func expectOneLine(_ outcome: ExternalTool.Outcome, naming path: String, containing text: String? = nil,
                   sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let lines = outcome.stderrLines(naming: path)
    #expect(lines.count == 1, "expected one line naming \(path): \(outcome.stderrText)", sourceLocation: sourceLocation)
    if let text {
        #expect(lines.first?.contains(text) == true, "expected '\(text)' in: \(outcome.stderrText)",
                sourceLocation: sourceLocation)
    }
}

/// Per-file failures exit 1 (others still processed, no output for the failed one); usage errors exit 2.
@Suite struct FailureTests {
    /// A sandbox holding one de-identified CT at `deidentified`.
    func deidentifiedCT(_ sandbox: Sandbox) throws -> String {
        try sandbox.deidentify([Sandbox.fixture("ct-explicit-le.dcm")], into: sandbox.path("DEID"))
        return try Sandbox.onlyFile(under: sandbox.path("DEID"))
    }

    // MARK: re-identification, per file

    @Test func refusesAKeyTheFileWasNotEncryptedFor() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let file = try deidentifiedCT(sandbox)
        let outcome = try sandbox.run(.reidentify, [file, "--output", sandbox.path("R"), "--key", Sandbox.key("test-recipient-b.key")])
        #expect(outcome.status == 1)
        expectOneLine(outcome, naming: file, containing: "not for this key")
        #expect(Sandbox.files(under: sandbox.path("R")).isEmpty)
    }

    @Test func exitsTwoOnAWrongPassphrase() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let file = try deidentifiedCT(sandbox)
        let wrong = sandbox.path("wrong-passphrase.txt")
        try Data("not-the-passphrase\n".utf8).write(to: URL(fileURLWithPath: wrong))
        let key = Sandbox.key("test-recipient-a-encrypted.key")
        let outcome = try sandbox.run(.reidentify, [file, "--output", sandbox.path("R"), "--key", key,
                                                    "--passphrase-file", wrong])
        #expect(outcome.status == 2)
        #expect(outcome.stderrText.contains("\(key): wrong passphrase"), "\(outcome.stderrText)")
        #expect(outcome.stderrLines.count == 1, "\(outcome.stderrText)")
        #expect(Sandbox.files(under: sandbox.path("R")).isEmpty)
    }

    @Test func opensAnEncryptedKeyWithThePassphraseFromTheEnvironmentOrAFile() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let file = try deidentifiedCT(sandbox)
        let key = Sandbox.key("test-recipient-a-encrypted.key")
        let fromEnvironment = try sandbox.run(.reidentify, [file, "--output", sandbox.path("R1"), "--key", key,
                                                            "--passphrase-env", "DEID_TEST_PASSPHRASE"],
                                              environment: ["DEID_TEST_PASSPHRASE": "test-only-passphrase"])
        #expect(fromEnvironment.status == 0, "\(fromEnvironment.stderrText)")
        #expect(Sandbox.files(under: sandbox.path("R1")).count == 1)
        let fromFile = try sandbox.run(.reidentify, [file, "--output", sandbox.path("R2"), "--key", key,
                                                     "--passphrase-file", Sandbox.key("test-passphrase.txt")])
        #expect(fromFile.status == 0, "\(fromFile.stderrText)")
        #expect(Sandbox.files(under: sandbox.path("R2")).count == 1)
    }

    @Test func failsAFileWithoutEncryptedAttributes() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let raw = Sandbox.fixture("mr-explicit-le.dcm")
        let outcome = try sandbox.run(.reidentify, [raw, "--output", sandbox.path("R"), "--key", Sandbox.keyA])
        #expect(outcome.status == 1)
        expectOneLine(outcome, naming: raw, containing: "Encrypted Attributes")
        #expect(Sandbox.files(under: sandbox.path("R")).isEmpty)
    }

    @Test func failsTamperedEncryptedContent() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let file = try deidentifiedCT(sandbox)
        var bytes = try FileIO.readAll(path: file)
        let parsed = try Part10Reader.read(bytes: bytes)
        let item = try #require(parsed.dataSet[Tag(0x0400, 0x0500)]?.sequence?.items.first)
        let content = try #require(item.dataSet[Tag(0x0400, 0x0520)]?.bytes)
        // The value slice indexes the file's bytes: its start is the value's offset in the file. CBC has no
        // integrity check: garbling 16 blocks of ciphertext makes sure some decrypted element header breaks.
        try #require(content.count > 2048)
        let middle = content.startIndex + content.count / 2
        for offset in middle..<(middle + 256) { bytes[offset] ^= 0x5A }
        try Data(bytes).write(to: URL(fileURLWithPath: file))

        let outcome = try sandbox.run(.reidentify, [file, "--output", sandbox.path("R"), "--key", Sandbox.keyA])
        #expect(outcome.status == 1)
        expectOneLine(outcome, naming: file, containing: "does not parse")
        #expect(Sandbox.files(under: sandbox.path("R")).isEmpty)
    }

    @Test func failsANonDICOMFile() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let text = Sandbox.fixture("README.md")
        let outcome = try sandbox.run(.reidentify, [text, "--output", sandbox.path("R"), "--key", Sandbox.keyA])
        #expect(outcome.status == 1)
        expectOneLine(outcome, naming: text, containing: "not a DICOM file")
        #expect(Sandbox.files(under: sandbox.path("R")).isEmpty)
    }

    // MARK: de-identification, per file

    @Test func skipsANonDICOMFile() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let text = Sandbox.fixture("README.md")
        let outcome = try sandbox.run(.deidentify, [text, "--output", sandbox.path("OUT"), "--recipient", Sandbox.recipientA])
        // Named on the command line and not processed: the run did not do what was asked (an error, as in
        // every tool; a file found in a folder is skipped).
        #expect(outcome.status == 1)
        expectOneLine(outcome, naming: text, containing: "error: ")
        expectOneLine(outcome, naming: text, containing: "not a DICOM file")
        #expect(Sandbox.files(under: sandbox.path("OUT")).isEmpty)
    }

    @Test func skipsANonDICOMFileInAFolderAndSucceeds() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let folder = sandbox.path("in")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data("not DICOM".utf8).write(to: URL(fileURLWithPath: folder + "/notes.txt"))
        try FileManager.default.copyItem(atPath: Sandbox.fixture("ct-explicit-le.dcm"), toPath: folder + "/ct.dcm")
        let outcome = try sandbox.run(.deidentify, [folder, "--output", sandbox.path("OUT"), "--recipient", Sandbox.recipientA])
        #expect(outcome.status == 0, "\(outcome.stderrText)")
        #expect(outcome.stderrText.contains("notes.txt: not a DICOM file"))
        #expect(Sandbox.files(under: sandbox.path("OUT")).count == 1)
    }

    @Test func symbolicLinksInFoldersAreReportedNotFollowed() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let folder = sandbox.path("in")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder + "/link.dcm", withDestinationPath: Sandbox.fixture("ct-explicit-le.dcm"))
        try FileManager.default.createSymbolicLink(atPath: folder + "/loop", withDestinationPath: folder)
        try FileManager.default.copyItem(atPath: Sandbox.fixture("mr-explicit-le.dcm"), toPath: folder + "/mr.dcm")
        let outcome = try sandbox.run(.deidentify, [folder, "--output", sandbox.path("OUT"), "--recipient", Sandbox.recipientA])
        #expect(outcome.status == 0, "\(outcome.stderrText)")
        #expect(outcome.stderrText.contains("link.dcm: symbolic link inside a folder, not followed"), "\(outcome.stderrText)")
        #expect(outcome.stderrText.contains("loop: symbolic link inside a folder, not followed"), "\(outcome.stderrText)")
        #expect(Sandbox.files(under: sandbox.path("OUT")).count == 1)
    }

    @Test func failsATruncatedFileNamingIt() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let truncated = sandbox.path("in/truncated.dcm")
        try FileManager.default.createDirectory(atPath: sandbox.path("in"), withIntermediateDirectories: true)
        let bytes = try FileIO.readAll(path: Sandbox.fixture("ct-explicit-le.dcm"))
        try Data(bytes.prefix(300)).write(to: URL(fileURLWithPath: truncated))
        let outcome = try sandbox.run(.deidentify, [truncated, "--output", sandbox.path("OUT"), "--recipient", Sandbox.recipientA])
        #expect(outcome.status == 1)
        expectOneLine(outcome, naming: truncated, containing: "error")
        #expect(Sandbox.files(under: sandbox.path("OUT")).isEmpty)
    }

    @Test func refusesAlreadyDeidentifiedInputUnlessAllowed() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let file = try deidentifiedCT(sandbox)
        let again = try sandbox.run(.deidentify, [file, "--output", sandbox.path("AGAIN"), "--recipient", Sandbox.recipientA])
        #expect(again.status == 1)
        expectOneLine(again, naming: file, containing: "already de-identified")
        #expect(Sandbox.files(under: sandbox.path("AGAIN")).isEmpty)

        let allowed = try sandbox.run(.deidentify, [file, "--output", sandbox.path("ALLOWED"), "--recipient", Sandbox.recipientA,
                                                    "--allow-repeat"])
        #expect(allowed.status == 0, "\(allowed.stderrText)")
        let twice = try Part10Reader.read(contentsOf: try Sandbox.onlyFile(under: sandbox.path("ALLOWED")))
        #expect(twice.dataSet[Tag(0x0400, 0x0500)]?.sequence?.items.count == 2)
    }

    /// An existing output that is the same (a rerun) counts as done (ResumeTests); one that differs, under
    /// --keep-layout (names that are not UIDs), is refused.
    @Test func failsAnExistingDifferentOutputUnlessOverwriting() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let secret = try sandbox.makeSecret()
        let input = Sandbox.fixture("mr-explicit-le.dcm")
        let out = sandbox.path("OUT")
        try sandbox.deidentify([input], into: out, ["--secret", secret, "--keep-layout"])
        let written = try Sandbox.onlyFile(under: out)
        let first = try FileIO.readAll(path: written)

        let refused = try sandbox.run(.deidentify, [input, "--output", out, "--recipient", Sandbox.recipientA, "--secret", secret,
                                                    "--keep-layout", "--retain-full-dates"])
        #expect(refused.status == 1)
        expectOneLine(refused, naming: input)
        #expect(try FileIO.readAll(path: written) == first, "an existing output was replaced")

        let replaced = try sandbox.run(.deidentify, [input, "--output", out, "--recipient", Sandbox.recipientA,
                                                     "--secret", secret, "--keep-layout", "--overwrite"])
        #expect(replaced.status == 0, "\(replaced.stderrText)")
        #expect(try Sandbox.onlyFile(under: out) == written)
        // Same mapping, new random content encryption key: the file really was written again.
        #expect(try FileIO.readAll(path: written) != first)
    }

    // MARK: usage errors

    static let usageErrors: [(String, [String], String?)] = [
        ("missing --output", ["{fixture}", "--recipient", "{recipient}"], "--output"),
        ("unknown option", ["{fixture}", "--output", "{out}", "--recipient", "{recipient}", "--no-such-option"], "no-such-option"),
        ("exclusive date options", ["{fixture}", "--output", "{out}", "--recipient", "{recipient}",
                                    "--retain-full-dates", "--retain-modified-dates"], "exclude"),
        ("output inside input", ["{in}", "--output", "{in}/OUT", "--recipient", "{recipient}"], "inside the input folder"),
        ("missing recipient", ["{fixture}", "--output", "{out}"], "--recipient"),
        ("missing input", ["{in}/absent.dcm", "--output", "{out}", "--recipient", "{recipient}"], "absent.dcm"),
    ]

    @Test(arguments: 0..<usageErrors.count)
    func exitsTwoOnUsageErrors(_ index: Int) throws {
        let (name, template, message) = Self.usageErrors[index]
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try FileManager.default.createDirectory(atPath: sandbox.path("in"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Sandbox.fixture("mr-explicit-le.dcm"), toPath: sandbox.path("in/mr.dcm"))
        let arguments = template.map {
            $0.replacingOccurrences(of: "{fixture}", with: sandbox.path("in/mr.dcm"))
                .replacingOccurrences(of: "{recipient}", with: Sandbox.recipientA)
                .replacingOccurrences(of: "{out}", with: sandbox.path("OUT"))
                .replacingOccurrences(of: "{in}", with: sandbox.path("in"))
        }
        let outcome = try sandbox.run(.deidentify, arguments)
        #expect(outcome.status == 2, "\(name): \(outcome.stderrText)")
        if let message { #expect(outcome.stderrText.contains(message), "\(name): \(outcome.stderrText)") }
        #expect(Sandbox.files(under: sandbox.path("OUT")).isEmpty, "\(name)")
        #expect(Sandbox.files(under: sandbox.path("in")) == ["mr.dcm"], "\(name)")
    }

    @Test func refusesAnOutputInsideAnInputFolderGivenAsSymbolicLink() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try FileManager.default.createDirectory(atPath: sandbox.path("in"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Sandbox.fixture("mr-explicit-le.dcm"), toPath: sandbox.path("in/mr.dcm"))
        try FileManager.default.createSymbolicLink(atPath: sandbox.path("link"), withDestinationPath: sandbox.path("in"))
        let outcome = try sandbox.run(.deidentify, [sandbox.path("link"), "--output", sandbox.path("in/OUT"),
                                                    "--recipient", Sandbox.recipientA])
        #expect(outcome.status == 2, "\(outcome.stderrText)")
        #expect(outcome.stderrText.contains("inside the input folder"))
        #expect(Sandbox.files(under: sandbox.path("in")) == ["mr.dcm"])
    }

    @Test func reidentifyExitsTwoWithoutOutputOrOnUnknownOption() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let file = Sandbox.fixture("mr-explicit-le.dcm")
        let noOutput = try sandbox.run(.reidentify, [file, "--key", Sandbox.keyA])
        #expect(noOutput.status == 2)
        #expect(noOutput.stderrText.contains("--output"))
        let unknown = try sandbox.run(.reidentify, [file, "--output", sandbox.path("R"), "--key", Sandbox.keyA, "--bogus"])
        #expect(unknown.status == 2)
        #expect(unknown.stderrText.contains("bogus"))
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("R")))
    }

    @Test func refusesASecretFileOthersCanRead() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let secret = try sandbox.makeSecret()
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: secret)
        let outcome = try sandbox.run(.deidentify, [Sandbox.fixture("mr-explicit-le.dcm"), "--output", sandbox.path("OUT"),
                                                    "--recipient", Sandbox.recipientA, "--secret", secret])
        #expect(outcome.status == 2)
        #expect(outcome.stderrLines.count == 1, "\(outcome.stderrText)")
        #expect(outcome.stderrText.contains("chmod 600 \(secret)"), "\(outcome.stderrText)")
        #expect(Sandbox.files(under: sandbox.path("OUT")).isEmpty)
    }

    @Test func createsTheDefaultSecretPrivatelyUnderXDGConfigHome() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try sandbox.deidentify([Sandbox.fixture("mr-explicit-le.dcm")], into: sandbox.path("OUT"))
        let secret = sandbox.path("config/dicom-deid/secret")
        let attributes = try FileManager.default.attributesOfItem(atPath: secret)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }
}
