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

    /// A built product (executable) in the debug or release build folder the tests run from.
    public static func builtProduct(_ name: String) -> URL? {
        let bundle = Bundle.main.bundleURL
        // swift test on Linux runs the test executable from .build/<triple>/debug, where swift build puts
        // the products (bundleURL is that folder); elsewhere the bundle is one level down. The build folder
        // under the package root is the last resort (e.g. a test runner started from another place).
        let build = root.appendingPathComponent(".build")
        let candidates = [
            bundle.appendingPathComponent(name),
            bundle.deletingLastPathComponent().appendingPathComponent(name),
            build.appendingPathComponent("debug").appendingPathComponent(name),
            build.appendingPathComponent("release").appendingPathComponent(name),
        ]
        return candidates.first { FileIO.isExecutable($0.path) }
    }
}
