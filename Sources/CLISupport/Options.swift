import ArgumentParser
import ProfileFiles
import CMS
import Deidentification
import FileSystem
import Foundation
import Jobs
import MappingStore

/// Inputs, output folder and batch behaviour, shared by both commands.
package struct IOOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("DICOM files or folders (searched recursively).", valueName: "input"), completion: .file())
    package var inputs: [String] = []

    @Option(name: .shortAndLong, help: ArgumentHelp("Folder for the output files (created if missing).", valueName: "dir"), completion: .directory)
    package var output: String?

    @Option(help: ArgumentHelp("Also take the files and folders listed in this file, one per line (- for standard input).", valueName: "list"), completion: .file())
    package var filesFrom: String?

    @Option(help: ArgumentHelp("The same with paths ended by NUL bytes (find -print0).", valueName: "list"), completion: .file())
    package var filesFrom0: String?

    @Flag(help: "Mirror the input folder layout in the output instead of naming files by UIDs. Folder and file names often carry identity: use with care.")
    package var keepLayout = false

    /// How outputs are named, as `--keep-layout` says.
    package var layout: OutputLayout { keepLayout ? .inputPaths : .uids }

    @Flag(help: "Replace existing output files (never done otherwise).")
    package var overwrite = false

    @Option(name: .shortAndLong, help: "Files processed in parallel (default: all cores).")
    package var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(name: .shortAndLong, help: "Print only errors and the summary.")
    package var quiet = false

    package init() {}

    /// The rules of these options alone (see ``CheckedCommand``).
    /// - Parameter inputsRequired: whether the command needs inputs (a part of a plan takes them from the plan).
    package func checkOptions(inputsRequired: Bool = true) throws {
        if filesFrom != nil && filesFrom0 != nil { throw ValidationError("--files-from and --files-from0 exclude each other") }
        if inputsRequired, inputs.isEmpty, filesFrom == nil, filesFrom0 == nil {
            throw ValidationError("give at least one input file or folder (or --files-from)")
        }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    /// Checks that the output folder is not inside an input folder (outputs would be read as inputs next time).
    /// - Parameter given: the inputs, when read already (``allInputs()``); the command line's by default.
    package func checkOutputOutsideInputs(_ given: [String]? = nil) throws {
        guard let output else { return }
        for input in given ?? inputs where FileIO.isDirectory(input) && Paths.isInside(output, folder: input) {
            throw CLIError("the output folder \(output) is inside the input folder \(input); choose another")
        }
    }
}

extension ProfileOption: EnumerableFlag {
    public static func name(for value: ProfileOption) -> NameSpecification {
        .customLong(value.descriptor.flag)
    }

    public static func help(for value: ProfileOption) -> ArgumentHelp? {
        ArgumentHelp("\(value.codeMeaning) (DCM \(value.codeValue)).")
    }
}

/// The Basic Profile options (PS3.15 E.3), each a flag adding its CID 7050 code, and profiles from files.
package struct ProfileOptions: ParsableArguments {
    @Flag(help: "Options of the Basic Application Level Confidentiality Profile.")
    package var options: [ProfileOption] = []

    @Option(help: ArgumentHelp("Native profile (YAML): Basic Profile plus options, overrides, private dispositions, parameters. See docs/profiles.md.", valueName: "file"), completion: .file())
    package var profile: String?

    @Option(help: ArgumentHelp("CSV of private attribute dispositions by group, private creator and element byte (repeatable); private attributes no disposition names are removed.", valueName: "csv"), completion: .file(extensions: ["csv"]))
    package var privateDispositions: [String] = []

    @Option(help: ArgumentHelp("RSNA CTP DicomAnonymizer script (XML or properties format), run reversibly.", valueName: "file"), completion: .file())
    package var ctpScript: String?

    @Option(help: ArgumentHelp("Set a CTP script parameter, e.g. SITEID=RICORD-07 (repeatable).", valueName: "name=value"))
    package var ctpParam: [String] = []

    @Option(help: ArgumentHelp("Where @integer numbers are kept: a SQLite file (default: mapping.sqlite beside the secret) or a postgresql:// URL shared by several machines. It holds original identifiers: protect it like the data.", valueName: "file|url"), completion: .file())
    package var mappingDb: String?

    @Option(help: ArgumentHelp("CTP lookup table for @lookup: properties (ptid/123 = ANON-1) or CSV type,key,value.", valueName: "file"), completion: .file())
    package var ctpLookup: String?

    @Flag(help: "Key the CTP hash functions with the secret: nobody can test a guess against them, but they no longer equal CTP's.")
    package var keyedHashes = false

    package init() {}

    /// The request for ``ProfileRequest/makeProfile(secret:defaultMappingDatabase:)``.
    /// - Throws: ``CLIError`` for a malformed `--ctp-param`.
    package func request() throws -> ProfileRequest {
        var parameters: [String: String] = [:]
        for text in ctpParam {
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw CLIError("--ctp-param \(text): expected NAME=VALUE")
            }
            parameters[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        return ProfileRequest(profileFile: profile, ctpScript: ctpScript, ctpParameters: parameters,
                              dispositionFiles: privateDispositions, options: Set(options), mappingDatabase: mappingDb,
                              lookupTable: ctpLookup, keyedHashes: keyedHashes)
    }

    /// Checks the combination of flags without reading anything.
    package func checkCombination() throws {
        do { try request().check() } catch let error as ProfileFileError { throw CLIError(error.message) }
    }

    /// The profile to run, read before any input is touched; nil for the built-in profile.
    /// - Parameters:
    ///   - secret: keys the CTP hashes under `--keyed-hashes`.
    ///   - secretPath: where the secret is, for the default mapping database beside it.
    /// - Throws: ``CLIError`` with the file, line and rule.
    ///   - dryRun: numbers `@integer` would give are shown, not written.
    package func makeProfile(secret: [UInt8], secretPath: String, dryRun: Bool = false)
        throws -> (profile: Profile?, integers: (any IntegerStore)?) {
        let directory = Paths.parent(secretPath)
        let defaultDatabase = directory + "/mapping.sqlite"
        if ctpScript != nil, mappingDb == nil, !dryRun {
            // The default database sits beside the secret, in a folder only its owner reads.
            try? FileIO.makeDirectories(directory, mode: 0o700)
        }
        do {
            var request = try request()
            request.dryRun = dryRun
            return try request.load(secret: secret, defaultMappingDatabase: defaultDatabase)
        } catch let error as ProfileFileError {
            throw CLIError("\(error)")
        }
    }

    /// The rules of these options alone (see ``CheckedCommand``).
    package func checkOptions() throws {
        if options.contains(.retainLongitudinalFullDates) && options.contains(.retainLongitudinalModifiedDates) {
            throw ValidationError("--retain-full-dates and --retain-modified-dates exclude each other")
        }
    }
}

/// `--cipher`: the content encryption, by a short name.
package enum CipherArgument: String, CaseIterable, ExpressibleByArgument, Sendable {
    case aes128, aes192, aes256
    case tripleDES = "3des"

    package init?(argument: String) {
        switch argument.lowercased() {
        case "aes128": self = .aes128
        case "aes192": self = .aes192
        case "aes256": self = .aes256
        case "3des", "des3": self = .tripleDES
        default: return nil
        }
    }

    package var cipher: ContentCipher {
        switch self {
        case .aes128: return .aes128CBC
        case .aes192: return .aes192CBC
        case .aes256: return .aes256CBC
        case .tripleDES: return .tripleDESCBC
        }
    }

    package static var allValueDescriptions: [String: String] {
        ["aes128": "AES-128-CBC (RFC 3565)", "aes192": "AES-192-CBC (RFC 3565)",
         "aes256": "AES-256-CBC (RFC 3565), the default", "3des": "DES-EDE3-CBC (RFC 3370), legacy readers only"]
    }
}

/// `--key-transport`: how the content key is wrapped for each RSA recipient.
package enum KeyTransportArgument: String, CaseIterable, ExpressibleByArgument, Sendable {
    case pkcs1v15, oaep

    package init?(argument: String) {
        switch argument.lowercased() {
        case "pkcs1v15", "pkcs1": self = .pkcs1v15
        case "oaep": self = .oaep
        default: return nil
        }
    }

    package var keyTransport: KeyTransport { self == .pkcs1v15 ? .rsaPKCS1v15 : .rsaOAEPSHA256 }

    package static var allValueDescriptions: [String: String] {
        ["pkcs1v15": "RSAES-PKCS1-v1_5, the default: what DICOM names and every peer reads",
         "oaep": "RSAES-OAEP with SHA-256 (RFC 8017)"]
    }
}

/// The key's companions: its certificate and where its passphrase comes from (never the command line).
package struct KeyMaterialOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Recipient certificate matching the key (selects the right Encrypted Attributes recipient).", valueName: "file"), completion: .file())
    package var certificate: String?

    @Option(help: ArgumentHelp("Read the key passphrase from this environment variable.", valueName: "name"))
    package var passphraseEnv: String?

    @Option(help: ArgumentHelp("Read the key passphrase from the first line of this file.", valueName: "file"), completion: .file())
    package var passphraseFile: String?

    package init() {}

    /// The rules of these options alone (see ``CheckedCommand``).
    package func checkOptions() throws {
        if passphraseEnv != nil && passphraseFile != nil {
            throw ValidationError("give --passphrase-env or --passphrase-file, not both")
        }
    }

    /// Whether any of these options was given.
    package var isGiven: Bool { certificate != nil || passphraseEnv != nil || passphraseFile != nil }

    /// Loads the key at `key` (asking for a passphrase on the terminal when it is encrypted and none was given)
    /// and the certificate.
    /// - Throws: ``CLIError`` with the crypto module's one-line reason.
    package func load(key: String) throws -> (RecipientPrivateKey, RecipientCertificate?) {
        do {
            var passphrase: Passphrase?
            if let passphraseEnv { passphrase = try Passphrase.fromEnvironment(passphraseEnv) }
            if let passphraseFile { passphrase = try Passphrase.fromFile(passphraseFile) }
            let privateKey: RecipientPrivateKey
            do {
                privateKey = try RecipientPrivateKey(contentsOf: key, passphrase: passphrase)
            } catch {
                guard passphrase == nil, error.code == .passphraseUnavailable || error.code == .wrongPassphrase else { throw error }
                let typed = try PassphrasePrompt.ask("Passphrase for \(key): ")
                privateKey = try RecipientPrivateKey(contentsOf: key, passphrase: typed)
            }
            let cert = try certificate.map { try RecipientCertificate(contentsOf: $0) }
            if let cert, !privateKey.matches(cert) {
                throw CLIError("the key \(key) does not belong to the certificate \(certificate ?? "")")
            }
            return (privateKey, cert)
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("\(error)")
        }
    }
}

/// A recipient's private key, required, with its certificate and passphrase options.
package struct KeyOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Recipient private key: PEM (PKCS#1 or PKCS#8, encrypted or not), DER or PKCS#12.", valueName: "file"), completion: .file())
    package var key: String

    @OptionGroup package var material: KeyMaterialOptions

    package init() {}

    /// The rules of these options alone (see ``CheckedCommand``).
    package func checkOptions() throws { try material.checkOptions() }

    /// Loads the key and the certificate (see ``KeyMaterialOptions/load(key:)``).
    package func load() throws -> (RecipientPrivateKey, RecipientCertificate?) {
        try material.load(key: key)
    }
}
