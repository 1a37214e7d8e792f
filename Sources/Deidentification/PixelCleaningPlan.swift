import DICOMCodec
import DICOMCore
import DICOMDictionary
import PixelData

/// What `--clean-pixel-data` decided for one file, before any pixel is touched.
public struct PixelCleaningPlan: Sendable {
    /// The outcome of the decision.
    public enum Outcome: Sendable, Hashable {
        /// Every frame gets its rectangles (``rectangles(inFrame:)``): the file claims the Clean Pixel Data Option
        /// (113101).
        case clean
        /// Nothing suggests burned-in text and no rule matched: pixels untouched, the option not claimed.
        case notNeeded
        /// Likely burned in, covered by nothing, written anyway (`--accept-uncleaned-pixels`): not claimed.
        case acceptedUncleaned(reason: String)
    }

    public var outcome: Outcome
    /// The rule that matched, if any.
    public var rule: PixelRule?
    /// The rectangles blanked outside the declared ultrasound regions, when the file declares them.
    public var ultrasoundRegions: [PixelRectangle]?
    /// The rectangles of the text `--detect-text` chose to blank in each frame (index = frame), when it ran.
    public var detectedText: [[PixelRectangle]]?
    /// The rectangles blanked in every frame: the rule's and the regions' (clipped to the image).
    public var everyFrame: [PixelRectangle]
    /// Every rectangle blanked in some frame: ``everyFrame`` and the detected text of every frame, each once.
    public var rectangles: [PixelRectangle] {
        guard let detectedText else { return everyFrame }
        var seen = Set(everyFrame)
        return everyFrame + detectedText.joined().filter { seen.insert($0).inserted }
    }
    /// Number of frames.
    public var frameCount: Int

    public init(outcome: Outcome, rule: PixelRule?, ultrasoundRegions: [PixelRectangle]?,
                detectedText: [[PixelRectangle]]? = nil, everyFrame: [PixelRectangle], frameCount: Int) {
        self.outcome = outcome
        self.rule = rule
        self.ultrasoundRegions = ultrasoundRegions
        self.detectedText = detectedText
        self.everyFrame = everyFrame
        self.frameCount = frameCount
    }

    /// The rectangles blanked in frame `frame` (0-based): ``everyFrame`` and the text detected in that frame.
    public func rectangles(inFrame frame: Int) -> [PixelRectangle] {
        guard let detectedText, detectedText.indices.contains(frame) else { return everyFrame }
        let own = Set(everyFrame)
        return everyFrame + detectedText[frame].filter { !own.contains($0) }
    }

    /// One line per frame: `frame 3: rule line 12 { … }, ultrasound regions: (0,0,640,40) …`.
    public var frameLines: [String] {
        switch outcome {
        case .notNeeded: return ["pixels: not cleaned (no rule matches and nothing suggests burned-in text)"]
        case .acceptedUncleaned(let reason): return ["pixels: NOT cleaned, written as accepted: \(reason)"]
        case .clean:
            var sources: [String] = []
            if let rule { sources.append("rule line \(rule.line) { \(rule.text) }") }
            if ultrasoundRegions != nil { sources.append("outside the ultrasound regions") }
            return (0..<frameCount).map { frame in
                var named = sources
                if let detectedText {
                    named.append("text detected (\(detectedText.indices.contains(frame) ? detectedText[frame].count : 0) boxes)")
                }
                let rectangles = rectangles(inFrame: frame)
                let boxes = rectangles.isEmpty ? "nothing to blank" : rectangles.map(\.description).joined(separator: " ")
                return "pixels frame \(frame + 1): \(named.joined(separator: " + ")): \(boxes)"
            }
        }
    }

    /// Whether the file claims the Clean Pixel Data Option.
    public var claimsOption: Bool { outcome == .clean }
}

/// SOP classes and modalities likely to carry burned-in text (the fail safe of `--clean-pixel-data`).
public enum BurnedInRisk {
    /// Secondary Capture Image Storage, single-frame and the four multi-frame classes (PS3.4 B.5).
    public static let secondaryCaptureSOPClasses: Set<String> = [
        "1.2.840.10008.5.1.4.1.1.7", "1.2.840.10008.5.1.4.1.1.7.1", "1.2.840.10008.5.1.4.1.1.7.2",
        "1.2.840.10008.5.1.4.1.1.7.3", "1.2.840.10008.5.1.4.1.1.7.4",
    ]
    /// Video Endoscopic, Video Microscopic and Video Photographic Image Storage.
    public static let videoSOPClasses: Set<String> = [
        "1.2.840.10008.5.1.4.1.1.77.1.1.1", "1.2.840.10008.5.1.4.1.1.77.1.2.1", "1.2.840.10008.5.1.4.1.1.77.1.4.1",
    ]
    /// Ultrasound Image Storage and Ultrasound Multi-frame Image Storage (and their retired forms).
    public static let ultrasoundSOPClasses: Set<String> = [
        "1.2.840.10008.5.1.4.1.1.6.1", "1.2.840.10008.5.1.4.1.1.3.1", "1.2.840.10008.5.1.4.1.1.6", "1.2.840.10008.5.1.4.1.1.3",
    ]

    /// Why `dataSet` is likely to carry burned-in text, or nil: Burned In Annotation (0028,0301) YES; Modality
    /// US or an ultrasound SOP class; a Secondary Capture or video SOP class; an XA or RF screen save (Image
    /// Type (0008,0008) SECONDARY, or containing SCREEN).
    public static func reason(_ dataSet: DataSet) -> String? {
        let sopClass = dataSet[.sopClassUID]?.string() ?? ""
        let modality = dataSet[.modality]?.string() ?? ""
        let imageType = dataSet[.imageType]?.strings() ?? []
        if dataSet[.burnedInAnnotation]?.string()?.uppercased() == "YES" { return "Burned In Annotation is YES" }
        if modality == "US" || ultrasoundSOPClasses.contains(sopClass) { return "ultrasound (Modality US)" }
        if secondaryCaptureSOPClasses.contains(sopClass) { return "a Secondary Capture image" }
        if videoSOPClasses.contains(sopClass) { return "a video image" }
        if modality == "XA" || modality == "RF",
           imageType.count > 1 && imageType[1] == "SECONDARY" || imageType.contains(where: { $0.contains("SCREEN") }) {
            return "an \(modality) screen save (Image Type \(imageType.prefix(3).joined(separator: "\\")))"
        }
        return nil
    }
}

extension Deidentifier {
    /// Decides how the pixels of `file` are cleaned (nil when `--clean-pixel-data` is off or there are no pixels).
    /// - Throws: ``DeidentificationError`` `.pixelsNotCleaned` when the file is likely to carry burned-in text that
    ///   nothing covers (and uncleaned files are not accepted), `.invalidPixelData` when the pixel description or
    ///   the ultrasound regions do not make sense, `.unsupportedPixelEncoding` when the frames cannot be written
    ///   back in their transfer syntax.
    public func pixelPlan(_ file: Part10File) throws(DeidentificationError) -> PixelCleaningPlan? {
        guard let cleaning = settings.policy.cleanPixelData else { return nil }
        let dataSet = file.dataSet
        guard dataSet.contains(.pixelData) else { return nil }
        let order = file.dataSetEncoding.byteOrder
        let regions: [PixelRectangle]?
        do {
            regions = try UltrasoundRegions.regions(in: dataSet, order: order)
        } catch {
            throw DeidentificationError(.invalidPixelData, cause: error)
        }
        let rule = cleaning.rules.firstMatch(dataSet, order: order)
        guard rule != nil || regions != nil || cleaning.textDetection != nil else {
            // Nothing will be blanked: the pixels need no description that makes sense.
            let frames = (try? PixelDescription(dataSet, order: order))?.numberOfFrames ?? 1
            guard let reason = BurnedInRisk.reason(dataSet) else {
                return PixelCleaningPlan(outcome: .notNeeded, rule: nil, ultrasoundRegions: nil, everyFrame: [],
                                         frameCount: frames)
            }
            guard cleaning.acceptUncleaned else {
                throw DeidentificationError(.pixelsNotCleaned,
                    "pixels likely carry burned-in text (\(reason)) and no pixel rule or ultrasound region covers them")
            }
            return PixelCleaningPlan(outcome: .acceptedUncleaned(reason: reason), rule: nil, ultrasoundRegions: nil,
                                     everyFrame: [], frameCount: frames)
        }
        let description: PixelDescription
        do {
            description = try PixelDescription(dataSet, order: order)
        } catch {
            throw DeidentificationError(.invalidPixelData, cause: error)
        }
        let columns = description.columns, rows = description.rows
        let outside = regions.map { UltrasoundRegions.outside($0, columns: columns, rows: rows) }
        let everyFrame = (rule?.rectangles(columns: columns, rows: rows) ?? []) + (outside ?? [])
        // --detect-text: every image with pixel data is read, after the rules and regions.
        let detected = try cleaning.textDetection.map { detection throws(DeidentificationError) in
            try detectedTextRectangles(file, description: description, detection: detection)
        }
        if let detected, rule == nil, regions == nil, detected.allSatisfy(\.isEmpty), BurnedInRisk.reason(dataSet) == nil {
            // Read, nothing found, nothing else suggests text: as without detection.
            return PixelCleaningPlan(outcome: .notNeeded, rule: nil, ultrasoundRegions: nil, detectedText: detected,
                                     everyFrame: [], frameCount: description.numberOfFrames)
        }
        if file.transferSyntax.isEncapsulated, !everyFrame.isEmpty || detected?.contains(where: { !$0.isEmpty }) == true,
           cleaning.registry.codec(for: file.transferSyntax.uid) == nil {
            throw DeidentificationError(.unsupportedPixelEncoding,
                "pixels in transfer syntax \(file.transferSyntax.uid) cannot be cleaned and written back (no codec)")
        }
        return PixelCleaningPlan(outcome: .clean, rule: rule, ultrasoundRegions: outside, detectedText: detected,
                                 everyFrame: everyFrame, frameCount: description.numberOfFrames)
    }
}

extension Deidentifier {
    /// The attributes a pixel plan sets: when every frame is cleaned, code 113101 in De-identification Method Code
    /// Sequence (built-in profile) and its meaning in De-identification Method, and Burned In Annotation NO (the
    /// original, if any, goes into Modified Attributes like every replaced attribute). Otherwise a note.
    static func recordPixelCleaning(_ pixels: PixelCleaningPlan, in plan: inout Plan) {
        guard pixels.claimsOption else {
            if case .acceptedUncleaned(let reason) = pixels.outcome {
                plan.notes.append("pixels not cleaned (\(reason)); written as --accept-uncleaned-pixels asks, without 113101")
            }
            return
        }
        let code = DeidentificationMethodCode.cleanPixelDataOption
        let meaning = code.meaning
        for index in plan.settings.indices {
            var element = plan.settings[index]
            if element.tag == .deidentificationMethod {
                element = DataElement(tag: element.tag, vr: .LO, string: (element.strings() + [meaning]).joined(separator: "\\"))
            } else if element.tag == .deidentificationMethodCodeSequence, var sequence = element.sequence {
                sequence.items.append(Item(dataSet: DataSet([
                    DataElement(tag: Tag(0x0008, 0x0100), vr: .SH, string: code.value),
                    DataElement(tag: Tag(0x0008, 0x0102), vr: .SH, string: code.scheme),
                    DataElement(tag: Tag(0x0008, 0x0104), vr: .LO, string: meaning),
                ])))
                element.value = .sequence(sequence)
            }
            plan.settings[index] = element
        }
        plan.settings.append(DataElement(tag: .burnedInAnnotation, vr: .CS, string: "NO"))
    }
}
