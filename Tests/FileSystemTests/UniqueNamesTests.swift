import FileSystem
import Testing

/// The one place that makes a name distinct: `-2`, `-3`... before the extension of the last component.
struct UniqueNamesTests {
    @Test func numberedFormsKeepTheExtensionAndThePath() {
        #expect(UniqueNames.numbered("a/b.dcm", 2) == "a/b-2.dcm")
        #expect(UniqueNames.numbered("1.2.840.10008.dcm", 3) == "1.2.840.10008-3.dcm")
        #expect(UniqueNames.numbered("dir.v2/file", 2) == "dir.v2/file-2", "a dot in a folder name is no extension")
        #expect(UniqueNames.numbered(".hidden", 2) == ".hidden-2", "a leading dot starts no extension")
        #expect(UniqueNames.numbered("name.", 2) == "name.-2")
        #expect(UniqueNames.numbered("series.1", 2, beforeExtension: false) == "series.1-2")
    }

    @Test func claimsGiveTheFirstFreeNumberAndNeverTheSameNameTwice() {
        var names = UniqueNames()
        #expect(names.claim("x.dcm") == "x.dcm")
        #expect(names.claim("x.dcm") == "x-2.dcm")
        names.insert("x-3.dcm")   // found on disk
        #expect(names.claim("x.dcm") == "x-4.dcm")
        #expect(names.claim("x-2.dcm") == "x-2-2.dcm")
        #expect(names.claim("folder", beforeExtension: false) == "folder")
        #expect(names.claim("folder", beforeExtension: false) == "folder-2")
    }

    @Test func aProposalIsNotTakenUntilInserted() {
        var names = UniqueNames()
        names.insert("x.dcm")
        #expect(names.proposal(for: "x.dcm") == "x-2.dcm")
        #expect(!names.contains("x-2.dcm"))
        names.insert("x-2.dcm")
        #expect(names.proposal(for: "x.dcm") == "x-3.dcm")
    }

    @Test func firstFreeTriesUpToTheLimit() {
        var tried: [String] = []
        let name = UniqueNames.firstFree("a.dcm", limit: 5) { (candidate: String) -> Bool in
            tried.append(candidate)
            return candidate == "a-3.dcm"
        }
        #expect(name == "a-3.dcm")
        #expect(tried == ["a.dcm", "a-2.dcm", "a-3.dcm"])
        #expect(UniqueNames.firstFree("a.dcm", limit: 3) { (_: String) -> Bool in false } == nil)
    }
}
