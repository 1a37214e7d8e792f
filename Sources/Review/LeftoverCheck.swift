import CMS
import DICOMCodec
import DICOMCore
import IdentifyingTerms
import DICOMDictionary
import Deidentification

/// The leftover-identity check of one de-identified file (`dicom-review check`).
///
/// The identifiers of the original (``IdentifierCollector``) come from the Encrypted Attributes the key opens
/// (the re-identified data set) or from the original file itself. Every value of the de-identified file
/// outside the Encrypted Attributes Sequence (0400,0500) and the De-identification Method attributes — the file meta group, every nesting level, private
/// attributes and private creators included — is searched for them (``ValueMatcher``). The structure is
/// checked too: Patient Identity Removed (0012,0062) is YES, De-identification Method (0012,0063) or its code
/// sequence (0012,0064) is present (PS3.3 C.7.1.1 asks for one of them), and there is exactly one Encrypted Attributes item, which the key opens.
///
/// With a ``PixelTextReader`` (`--ocr`) the pixels are read too, every frame, and every identifier of the
/// original read there is a finding (``LeftoverFinding/Kind/pixelText(_:frame:box:)``).
public struct LeftoverCheck: Sendable {
    /// Opens the Encrypted Attributes; nil when the originals are given as files.
    public let reidentifier: Reidentifier?
    /// Reads the pixels for the original's identifiers (`--ocr`); nil: the pixels are not read.
    public let pixelText: PixelTextReader?

    /// - Parameters:
    ///   - reidentifier: the key to open the Encrypted Attributes with, or nil when originals are read from files.
    ///   - pixelText: reads burned-in text (`--ocr`), or nil.
    public init(reidentifier: Reidentifier? = nil, pixelText: PixelTextReader? = nil) {
        self.reidentifier = reidentifier
        self.pixelText = pixelText
    }

    /// Checks `file` against its original.
    /// - Parameters:
    ///   - file: the de-identified file.
    ///   - original: the original file; when nil, the key's re-identification of `file` is the original.
    /// - Returns: the findings, structure first, then values in file order; empty when the file is clean.
    /// - Throws: ``LeftoverCheckError`` when there is no original to compare with (no key and no file, or
    ///   the Encrypted Attributes do not open: reported as a structure finding when the key is given).
    public func check(_ file: Part10File, original: Part10File? = nil) throws(LeftoverCheckError) -> [LeftoverFinding] {
        try examine(file, original: original).findings
    }

    /// ``check(_:original:)``, and what the key decrypted: a caller that must record re-identifications
    /// (`dicom-review check --key`) records ``LeftoverCheckResult/decryption``.
    /// - Throws: ``LeftoverCheckError`` as ``check(_:original:)``.
    public func examine(_ file: Part10File, original: Part10File? = nil) throws(LeftoverCheckError) -> LeftoverCheckResult {
        var findings = structureFindings(file)
        var decryption: LeftoverCheckResult.Decryption?
        var restored: DataSet?
        if let reidentifier {
            do {
                let result = try reidentifier.reidentify(file)
                decryption = .opened(item: result.itemIndex + 1, restoredTags: result.restoredTags)
                restored = result.file.dataSet
            } catch {
                decryption = .failed("\(error)")
                findings.append(LeftoverFinding(kind: .structure("no Encrypted Attributes item opens with the key (\(error))"),
                                                path: TagPath(.encryptedAttributesSequence)))
            }
        }
        guard let originalSet = original?.dataSet ?? restored else {
            if reidentifier != nil { return LeftoverCheckResult(findings: findings, decryption: decryption) }
            throw LeftoverCheckError(.noOriginal, "no original to compare with: give a key or the original file")
        }
        let terms = IdentifierCollector.terms(in: originalSet)
        let matcher = ValueMatcher(terms: terms, originalUIDs: IdentifierCollector.uids(in: originalSet))
        let charset = SpecificCharacterSet(file.dataSet[.specificCharacterSet])
        search(file.meta, at: TagPath(), matcher: matcher, charset: .default, depth: 0, into: &findings)
        search(file.dataSet, at: TagPath(), matcher: matcher, charset: charset, depth: 0, into: &findings)
        var result = LeftoverCheckResult(findings: findings, decryption: decryption)
        if let pixelText, PixelTextReader.hasPixels(file.dataSet) {
            do {
                let scan = try pixelText.read(file, terms: terms)
                result.pixelScan = scan
                result.findings += scan.matches.map { match in
                    LeftoverFinding(kind: .pixelText(match.term, frame: match.frame, box: match.box),
                                    path: TagPath(.pixelData), value: match.read, confidence: match.exact ? .high : .low)
                }
            } catch {
                result.unreadablePixels = error
            }
        }
        return result
    }

    /// The Encrypted Attributes, and what the de-identifier writes about itself (De-identification Method and
    /// its codes: tool and option names, whose words such as `PRIVATE` are no one's identity).
    static let notSearched: Set<Tag> = [.encryptedAttributesSequence, .deidentificationMethod,
                                        .deidentificationMethodCodeSequence]

    /// PS3.15 E.1.1 steps 4-7 and PS3.3 C.12.1.1.4.1 as seen from outside: the attributes a de-identified file must carry.
    func structureFindings(_ file: Part10File) -> [LeftoverFinding] {
        let dataSet = file.dataSet
        var findings: [LeftoverFinding] = []
        let removed = dataSet[.patientIdentityRemoved]?.string()
        if removed != "YES" {
            findings.append(LeftoverFinding(kind: .structure(removed.map { "is \"\($0)\", not YES" } ?? "missing (must be YES)"),
                                            path: TagPath(.patientIdentityRemoved)))
        }
        // PS3.3 C.7.1.1: either suffices (profiles from files claim no code, so they write the method text only).
        if !dataSet.contains(.deidentificationMethod), !dataSet.contains(.deidentificationMethodCodeSequence) {
            findings.append(LeftoverFinding(kind: .structure("missing, and so is De-identification Method Code Sequence (0012,0064)"),
                                            path: TagPath(.deidentificationMethod)))
        }
        let items = dataSet[.encryptedAttributesSequence]?.sequence?.items.count ?? 0
        if items != 1 {
            findings.append(LeftoverFinding(kind: .structure("\(items) Encrypted Attributes items, expected exactly one"),
                                            path: TagPath(.encryptedAttributesSequence)))
        }
        return findings
    }

    private func search(_ dataSet: DataSet, at path: TagPath, matcher: ValueMatcher, charset: SpecificCharacterSet,
                        depth: Int, into findings: inout [LeftoverFinding]) {
        guard depth < 64 else { return }
        for element in dataSet.elements where !Self.notSearched.contains(element.tag) {
            let here = path.isEmpty ? TagPath(element.tag) : path.appending(element.tag)
            if let sequence = element.sequence {
                for (index, item) in sequence.items.enumerated() {
                    var itemPath = path
                    itemPath.components.append(TagPath.Component(tag: element.tag, item: index))
                    search(item.dataSet, at: itemPath, matcher: matcher, charset: charset, depth: depth + 1, into: &findings)
                }
                continue
            }
            guard let bytes = element.bytes else { continue }
            let vr = element.tag.isPrivateCreator ? VR.LO : element.vr
            let scope = ValueMatcher.scope(of: vr)
            guard scope != .none, let text = Self.text(bytes, vr: vr, charset: charset) else { continue }
            let upper = Array(text.uppercased().utf8)
            if let term = matcher.firstMatch(in: upper, scope: scope, isUID: vr == .UI) {
                // Checked only for a hit: a code string equal to a name is more often a defined term (`CT`).
                let low = vr == .CS && term.kind == .name && ValueMatcher.isWholeValue(term, of: upper)
                findings.append(LeftoverFinding(kind: .identifier(term), path: here, value: text,
                                                confidence: low ? .low : .high))
            }
        }
    }

    /// The value as text; UN values only when they read as text (printable, at most a few control bytes).
    static func text(_ bytes: ArraySlice<UInt8>, vr: VR, charset: SpecificCharacterSet) -> String? {
        if vr == .UN {
            guard !bytes.isEmpty, bytes.count <= 1 << 20 else { return nil }
            let printable = bytes.filter { $0 >= 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0x00 }.count
            guard printable * 10 >= bytes.count * 9 else { return nil }
        }
        return DataElement(tag: Tag(0, 0), vr: vr, value: .bytes(bytes)).string(charset)
    }
}
