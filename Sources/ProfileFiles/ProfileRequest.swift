import Deidentification
import Foundation

/// Which profile a run uses, as the command line gives it: the built-in Basic Profile with options, a native
/// profile file, or a CTP script; private dispositions on top of any of them.
public struct ProfileRequest: Sendable {
    /// A native YAML profile (`--profile`).
    public var profileFile: String?
    /// Private disposition CSVs (`--private-dispositions`), tried in order before the profile's rules.
    public var dispositionFiles: [String]
    /// Options given as flags; added to a native profile's own.
    public var options: Set<ProfileOption>

    public init(profileFile: String? = nil, dispositionFiles: [String] = [], options: Set<ProfileOption> = []) {
        self.profileFile = profileFile
        self.dispositionFiles = dispositionFiles
        self.options = options
    }

    /// The profile to run, read and checked before any file is touched; nil for the built-in Basic Profile
    /// with ``options`` (nothing to read).
    /// - Throws: ``ProfileFileError`` naming the file, the line and the rule.
    public func makeProfile() throws(ProfileFileError) -> Profile? {
        var dispositions: [Rule] = []
        for path in dispositionFiles { dispositions += try PrivateDispositions.load(path: path) }
        let dispositionNames = dispositionFiles.map { ($0 as NSString).lastPathComponent }
        if let profileFile {
            var definition = try NativeProfileParser.load(path: profileFile)
            definition.options.formUnion(options)
            definition.rules = dispositions + definition.rules
            let name = ([(profileFile as NSString).lastPathComponent] + dispositionNames).joined(separator: " + ")
            return definition.makeProfile(name: name)
        }
        if !dispositions.isEmpty {
            return Profile(options: options, rules: dispositions + Profile.basicRules(options: options),
                           name: (["basic"] + dispositionNames).joined(separator: " + "))
        }
        return nil
    }
}
