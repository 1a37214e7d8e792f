import ArgumentParser
import Deidentification
import FileSystem
import Foundation
import PixelData
import TextDetection

/// `--clean-pixel-data` and its companions (PS3.15 E.3.1, Clean Pixel Data Option).
package struct PixelOptions: ParsableArguments {
    @Flag(help: "Blank burned-in text: by the pixel rules and, for ultrasound, outside the declared regions. Claims 113101 only when every frame is cleaned; refuses files likely to carry text that nothing covers.")
    package var cleanPixelData = false

    @Option(help: ArgumentHelp("Pixel rules in CTP's DicomPixelAnonymizer script format (default: the built-in Profiles/pixels/default.script).", valueName: "file"), completion: .file())
    package var pixelRules: String?

    @Option(help: ArgumentHelp("Copy inputs refused by --clean-pixel-data into this folder for review (mode 0600, named by the input's file name). Not inside the output folder.", valueName: "dir"), completion: .directory)
    package var quarantine: String?

    @Flag(help: "With --clean-pixel-data, write files likely to carry burned-in text that no rule covers, unblanked and without claiming 113101.")
    package var acceptUncleanedPixels = false

    @Flag(help: "Experimental: OCR misses some text (docs/text-detection.md); review the outputs. With --clean-pixel-data, also read every image's frames by OCR (Tesseract) after the rules and regions, and blank the text --text-redaction chooses. Files the fail safe refuses (ultrasound, secondary capture, Burned In Annotation YES) are then cleaned and claim 113101; a frame that cannot be read refuses the file.")
    package var detectText = false

    @Option(help: ArgumentHelp("With --detect-text: identifying (lines matching the header's names, IDs, dates, institution, or any date, 6+ digits, an identity label, and text-like words read below the confidence floor; technical text stays) or all (every line detected, low confidence included).", valueName: "identifying|all"))
    package var textRedaction: TextRedactionChoice?

    package init() {}

    /// The rules of these options alone (see ``CheckedCommand``).
    package func checkOptions() throws {
        if !cleanPixelData, pixelRules != nil || quarantine != nil || acceptUncleanedPixels {
            throw ValidationError("--pixel-rules, --quarantine and --accept-uncleaned-pixels go with --clean-pixel-data")
        }
        if !cleanPixelData, detectText { throw ValidationError("--detect-text goes with --clean-pixel-data") }
        if !detectText, textRedaction != nil { throw ValidationError("--text-redaction goes with --detect-text") }
    }

    /// The cleaning settings, or nil without `--clean-pixel-data`.
    /// - Parameter registry: the frame codecs for encapsulated transfer syntaxes.
    /// - Throws: ``CLIError`` naming the rules file and line.
    package func settings(registry: FrameCodecRegistry) throws -> PixelCleaningSettings? {
        guard cleanPixelData else { return nil }
        var rules = PixelRuleScript.defaultRules
        if let pixelRules {
            let text: String
            do {
                text = String(decoding: try FileIO.readAll(path: pixelRules, limit: 16 << 20), as: UTF8.self)
            } catch {
                throw CLIError("pixel rules \(pixelRules): \(error)")
            }
            do { rules = try PixelRuleScript(text: text, file: pixelRules) } catch { throw CLIError("\(error)") }
        }
        var detection: TextDetectionSettings?
        if detectText {
            do {
                detection = try TextDetectionSettings(redaction: textRedaction?.redaction ?? .identifying)
            } catch {
                throw CLIError("--detect-text: \(error)")
            }
        }
        return PixelCleaningSettings(rules: rules, registry: registry, acceptUncleaned: acceptUncleanedPixels,
                                     textDetection: detection)
    }

    /// Creates the quarantine folder (mode 0700) after checking it is not inside the output folder.
    /// - Throws: ``CLIError``.
    package func prepareQuarantine(output: String?) throws {
        guard let quarantine else { return }
        if let output, Paths.isInside(quarantine, folder: output) {
            throw CLIError("the quarantine folder \(quarantine) must not be inside the output folder \(output)")
        }
        do { try FileIO.makeDirectories(quarantine, mode: 0o700) } catch {
            throw CLIError("cannot create quarantine folder \(quarantine): \(error)")
        }
    }
}

/// The values of `--text-redaction`.
package enum TextRedactionChoice: String, ExpressibleByArgument, CaseIterable {
    case identifying, all

    var redaction: TextRedaction { self == .all ? .all : .identifying }
}
