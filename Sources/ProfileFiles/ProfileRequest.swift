import Hashing
import CTPScript
import Deidentification
import FileSystem
import Foundation
import MappingStore

/// Which profile a run uses, as the command line gives it: the built-in Basic Profile with options, a native
/// profile file, or a CTP script; private dispositions on top of any of them.
public struct ProfileRequest: Sendable {
    /// A native YAML profile (`--profile`).
    public var profileFile: String?
    /// A CTP DicomAnonymizer script (`--ctp-script`) and its parameter overrides (`--ctp-param`).
    public var ctpScript: String?
    public var ctpParameters: [String: String]
    /// Private disposition CSVs (`--private-dispositions`), tried in order before the profile's rules.
    public var dispositionFiles: [String]
    /// Options given as flags; added to a native profile's own.
    public var options: Set<ProfileOption>
    /// Where `@integer` numbers are kept: a SQLite file or a `postgresql://` URL (`--mapping-db`).
    public var mappingDatabase: String?
    /// A CTP lookup table for `@lookup` (properties `type/key = value`, or CSV `type,key,value`).
    public var lookupTable: String?
    /// Key CTP's hashes with the de-identification secret (`--keyed-hashes`; no longer CTP-compatible).
    public var keyedHashes: Bool
    /// A dry run: `@integer` shows the numbers a run would give without writing them (nor creating the
    /// database).
    public var dryRun = false

    public init(profileFile: String? = nil, ctpScript: String? = nil, ctpParameters: [String: String] = [:],
                dispositionFiles: [String] = [], options: Set<ProfileOption> = [], mappingDatabase: String? = nil,
                lookupTable: String? = nil, keyedHashes: Bool = false) {
        self.profileFile = profileFile
        self.ctpScript = ctpScript
        self.ctpParameters = ctpParameters
        self.dispositionFiles = dispositionFiles
        self.options = options
        self.mappingDatabase = mappingDatabase
        self.lookupTable = lookupTable
        self.keyedHashes = keyedHashes
    }

    /// The problems with the combination of choices, before anything is read.
    public func check() throws(ProfileFileError) {
        func refuse(_ text: String, thrownLine: Int = #line) -> ProfileFileError {
            ProfileFileError(.invalidRequest, file: "command line", line: nil, text, thrownLine: thrownLine)
        }
        if profileFile != nil, ctpScript != nil { throw refuse("a native profile and a CTP script exclude each other") }
        if ctpScript != nil, !options.isEmpty { throw refuse("Basic Profile options do not apply to a CTP script") }
        if ctpScript == nil {
            if !ctpParameters.isEmpty { throw refuse("CTP parameters need a CTP script") }
            if keyedHashes, profileFile == nil { throw refuse("keyed hashes apply to CTP scripts and profile files") }
            if lookupTable != nil { throw refuse("a CTP lookup table needs a CTP script") }
        }
    }

    /// The profile to run, read and checked before any file is touched; nil for the built-in Basic Profile
    /// with ``options`` (nothing to read).
    /// - Parameters:
    ///   - secret: the de-identification secret, which keys the hashes under ``keyedHashes``.
    ///   - defaultMappingDatabase: the SQLite file used for `@integer` when ``mappingDatabase`` is nil.
    /// - Throws: ``ProfileFileError`` naming the file, the line and the rule.
    public func makeProfile(secret: [UInt8] = [], defaultMappingDatabase: String? = nil) throws(ProfileFileError) -> Profile? {
        try load(secret: secret, defaultMappingDatabase: defaultMappingDatabase).profile
    }

    /// The profile and the mapping database it numbers with (opened only when a CTP script uses `@integer`),
    /// whose ``IntegerStore/makeDurable()`` must run before outputs that carry its numbers are committed.
    /// - Throws: ``ProfileFileError`` naming the file, the line and the rule.
    public func load(secret: [UInt8] = [], defaultMappingDatabase: String? = nil) throws(ProfileFileError)
        -> (profile: Profile?, integers: (any IntegerStore)?) {
        try check()
        var dispositions: [Rule] = []
        for path in dispositionFiles { dispositions += try PrivateDispositions.load(path: path) }
        let dispositionNames = dispositionFiles.map { ($0 as NSString).lastPathComponent }
        if let ctpScript {
            // Read once: the text decides whether the mapping database is opened, then becomes the profile.
            let text = try ProfileText.read(ctpScript, what: "CTP script")
            try refuseUnkeyedHashesWithoutMD5(text, file: ctpScript)
            let environment = try ctpEnvironment(secret: secret, scriptText: text,
                                                 defaultMappingDatabase: defaultMappingDatabase)
            let profile = try CTPProfile.make(text, file: ctpScript, parameters: ctpParameters, environment: environment,
                                              keepsUnnamedPrivate: dispositions.isEmpty)
            guard !dispositions.isEmpty else { return (profile, environment.integers) }
            return (Profile(options: [], rules: dispositions + profile.rules.rules,
                            name: ([(ctpScript as NSString).lastPathComponent] + dispositionNames).joined(separator: " + "),
                            additions: profile.additions, claimedOptions: profile.comparison.comparedOptions), environment.integers)
        }
        if let profileFile {
            if !keyedHashes, !MD5.isAvailable {   // read again only where MD5 is missing
                try refuseUnkeyedHashesWithoutMD5(try ProfileText.read(profileFile, what: "profile"), file: profileFile)
            }
            var definition = try NativeProfileParser.load(path: profileFile,
                                                          functions: Self.functionCompiler(keyedBy: hashKey(secret)))
            definition.options.formUnion(options)
            definition.rules = dispositions + definition.rules
            let name = ([(profileFile as NSString).lastPathComponent] + dispositionNames).joined(separator: " + ")
            return (definition.makeProfile(name: name), nil)
        }
        if !dispositions.isEmpty {
            return (Profile(options: options, rules: dispositions + Profile.basicRules(options: options),
                            name: (["basic"] + dispositionNames).joined(separator: " + ")), nil)
        }
        return (nil, nil)
    }

    /// Refuses, before any file is read, a profile whose text names a hash function (CTP's `@hash…`, a native
    /// profile's `hash…` function) when they are unkeyed and this OpenSSL offers no MD5 (FIPS mode): every file
    /// would stop the run.
    func refuseUnkeyedHashesWithoutMD5(_ text: String, file: String, md5Available: Bool = MD5.isAvailable)
        throws(ProfileFileError) {
        guard !keyedHashes, !md5Available, text.lowercased().contains("hash") else { return }
        throw ProfileFileError(.invalidRequest, file: file, line: nil,
                               "CTP's unkeyed hash functions need MD5, which this OpenSSL does not offer (FIPS mode?); give --keyed-hashes")
    }

    /// The compiler of native profiles' `function` rules: CTP's functions, keyed by `key` when given.
    public static func functionCompiler(keyedBy key: [UInt8]?) -> NativeProfileParser.FunctionCompiler {
        CTPFunctionRule.compiler(environment: CTPEnvironment(functions: CTPStandardFunctions(key: key)))
    }

    /// The key of the CTP hash functions under ``keyedHashes``: derived from the secret, for this use only.
    private func hashKey(_ secret: [UInt8]) -> [UInt8]? {
        keyedHashes ? KeyedDigest.hmacSHA256(key: secret, message: Array("dicom-deid CTP keyed hashes".utf8)) : nil
    }

    /// The hash functions, the mapping database (opened only when the script, `scriptText`, numbers with
    /// `@integer`) and the lookup table of a CTP script.
    private func ctpEnvironment(secret: [UInt8], scriptText: String,
                                defaultMappingDatabase: String?) throws(ProfileFileError) -> CTPEnvironment {
        var environment = CTPEnvironment(functions: CTPStandardFunctions(key: hashKey(secret)))
        if let lookupTable {
            do { environment.lookup = try LookupTable(contentsOf: lookupTable) } catch {
                throw ProfileFileError(.mappingUnavailable, file: lookupTable, line: nil, "", cause: error)
            }
        }
        if scriptText.contains("@integer"), let location = mappingDatabase ?? defaultMappingDatabase {
            do {
                if dryRun {
                    let exists = MappingStores.isPostgresURL(location) || FileIO.kind(of: location) != nil
                    environment.integers = try PreviewIntegerStore(base: exists ? try MappingStores.open(location) : nil)
                } else {
                    // One flush per group of outputs (see makeDurable), not one per new patient.
                    environment.integers = try MappingStores.open(location, durability: .onRequest)
                }
            } catch {
                throw ProfileFileError(.mappingUnavailable, file: MappingStores.isPostgresURL(location) ? "mapping database" : location,
                                       line: nil, "", cause: error)
            }
        }
        return environment
    }
}
