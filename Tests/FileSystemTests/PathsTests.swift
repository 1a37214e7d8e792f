import FileSystem
import DICOMTestSupport
import Foundation
import Testing

/// One answer to "is this path inside that folder", as the kernel would walk it: links resolved, `..` applied.
struct PathsTests {
    /// A fresh folder (resolved: the system temporary folder may itself be a link) holding `inside/deep` and
    /// `outside`, removed afterwards.
    func withTree(_ body: (String) throws -> Void) throws {
        let directory = try TemporaryDirectory(prefix: "paths-tests")
        defer { directory.remove() }
        let root = Paths.resolved(directory.url.path)
        try FileManager.default.createDirectory(atPath: root + "/inside/deep", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/outside", withIntermediateDirectories: true)
        try body(root)
    }

    @Test func plainPathsAndTheFolderItself() throws {
        try withTree { root in
            #expect(Paths.isInside(root + "/inside/deep", folder: root + "/inside"))
            #expect(Paths.isInside(root + "/inside", folder: root + "/inside"), "the folder itself counts as inside")
            #expect(Paths.isInside(root + "/inside/not-made-yet/out", folder: root + "/inside"), "missing parts are appended")
            #expect(!Paths.isInside(root + "/outside", folder: root + "/inside"))
            #expect(!Paths.isInside(root + "/inside-not", folder: root + "/inside"), "a name sharing the prefix is not inside")
            #expect(Paths.isInside(root + "/inside/", folder: root + "/inside/"))
        }
    }

    @Test func dotDotCountsAsTheKernelCountsIt() throws {
        try withTree { root in
            #expect(!Paths.isInside(root + "/inside/../outside", folder: root + "/inside"))
            #expect(Paths.isInside(root + "/outside/../inside/deep", folder: root + "/inside"))
            #expect(!Paths.isInside(root + "/inside/missing/../../outside/x", folder: root + "/inside"))
            #expect(Paths.isInside(root + "/inside/./deep/.", folder: root + "/inside"))
        }
    }

    @Test func aLinkIntoTheFolderIsInside() throws {
        try withTree { root in
            try FileManager.default.createSymbolicLink(atPath: root + "/outside/link-in", withDestinationPath: root + "/inside/deep")
            #expect(Paths.isInside(root + "/outside/link-in", folder: root + "/inside"))
            #expect(Paths.isInside(root + "/outside/link-in/new-file", folder: root + "/inside"))
            // The folder given through a link: the same folder.
            try FileManager.default.createSymbolicLink(atPath: root + "/inside-alias", withDestinationPath: root + "/inside")
            #expect(Paths.isInside(root + "/inside/deep", folder: root + "/inside-alias"))
            #expect(Paths.isInside(root + "/inside-alias/deep", folder: root + "/inside"))
        }
    }

    @Test func aLinkOutOfTheFolderEscapes() throws {
        try withTree { root in
            try FileManager.default.createSymbolicLink(atPath: root + "/inside/escape", withDestinationPath: root + "/outside")
            #expect(!Paths.isInside(root + "/inside/escape", folder: root + "/inside"))
            #expect(!Paths.isInside(root + "/inside/escape/file", folder: root + "/inside"))
            // `..` after a link leaves from where the link points, not from where it sits.
            try FileManager.default.createSymbolicLink(atPath: root + "/outside/to-deep", withDestinationPath: root + "/inside/deep")
            #expect(Paths.isInside(root + "/outside/to-deep/..", folder: root + "/inside"))
            #expect(Paths.resolved(root + "/outside/to-deep/..") == root + "/inside")
        }
    }

    @Test func relativePathsAreTakenFromTheCurrentFolder() {
        let cwd = FileManager.default.currentDirectoryPath
        #expect(Paths.standardized("a/./b/../c") == Paths.standardized(cwd) + "/a/c")
        #expect(Paths.isInside("some/missing/file", folder: "."))
        #expect(!Paths.isInside("..", folder: "."))
    }

    @Test func componentsOfAPath() {
        #expect(Paths.lastComponent("a/b.dcm") == "b.dcm")
        #expect(Paths.lastComponent("a/b/") == "b")
        #expect(Paths.lastComponent("b") == "b")
        #expect(Paths.lastComponent("/") == "/")
        #expect(Paths.parent("a/b") == "a")
        #expect(Paths.parent("/b") == "/")
        #expect(Paths.parent("b") == ".")
    }
}
