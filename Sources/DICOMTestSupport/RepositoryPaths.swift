import FileSystem
import Foundation

/// Locations inside the checked-out repository, for tests.
public enum RepositoryPaths {
    /// The repository root (the folder holding Package.swift).
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileIO.exists(url.appendingPathComponent("Package.swift").path) {
                return url
            }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    public static var fixtures: URL { root.appendingPathComponent("Fixtures") }
    public static var keys: URL { root.appendingPathComponent("Keys") }
    /// The shared reference folder beside the repository (`../shared`: standard text, peers such as CTP), which a
    /// plain clone does not have; tests that need it skip with a message unless CI=true.
    public static var shared: URL { root.deletingLastPathComponent().appendingPathComponent("shared") }

    /// A built product (executable) of this build: beside the test bundle the tests run from, never another
    /// build folder's (a stale release binary would test old code).
    public static func builtProduct(_ name: String) -> URL? {
        let bundle = Bundle.main.bundleURL
        // swift test on Linux runs the test executable from .build/<triple>/debug, where swift build puts
        // the products (bundleURL is that folder); elsewhere the bundle is one level down.
        let candidates = [
            bundle.appendingPathComponent(name),
            bundle.deletingLastPathComponent().appendingPathComponent(name),
        ]
        return candidates.first { FileIO.isExecutable($0.path) }
    }
}
