/// The default pixel rules (`Profiles/pixels/default.script`, compiled in so that the commands need no file at
/// run time; a test checks that the two are the same text).
extension PixelRuleScript {
    /// The text of `Profiles/pixels/default.script`.
    public static let defaultText = #"""
dicom-deid default pixel rules (CTP DicomPixelAnonymizer script format)

Used by dicom-deidentify --clean-pixel-data when no --pixel-rules file is given. It covers only what the
header itself declares; it knows no scanner's banner layout. For those, write rules of your own (CTP's
shipped DicomPixelAnonymizer.script is a good start) and pass them with --pixel-rules.

Format: a condition in braces, then the rectangles (x,y,w,h) to blank, in columns and rows from the top
left. A negative x or y counts from the right or bottom edge. Rectangles are clipped to the image, so
(0,0,1000000,1000000) is the whole image. The first rule that matches applies; free text such as this is
a comment. Ultrasound images that declare a Sequence of Ultrasound Regions (0018,6011) need no rule: the
engine blanks everything outside the declared regions in every frame, and adds this file's rectangles when
a rule matches too.

Secondary captures of documents: Secondary Capture Image Storage (single-frame or one of the four
multi-frame SOP classes) whose Conversion Type (0008,0064) says the image was made from a document:
SD (scanned document), SI (scanned image) or DRW (drawing). The whole image is blanked.

{ SOPClassUID.matches("1\.2\.840\.10008\.5\.1\.4\.1\.1\.7(\.[1-4])?") *
  ( ConversionType.equals("SD") + ConversionType.equals("SI") + ConversionType.equals("DRW") ) }
  (0,0,1000000,1000000)

Documents filed as images: Modality DOC (document) or OT (other) with Burned In Annotation YES. The whole
image is blanked.

{ ( Modality.equals("DOC") + Modality.equals("OT") ) * BurnedInAnnotation.equalsIgnoreCase("YES") }
  (0,0,1000000,1000000)

"""#

    /// The default rules, parsed.
    public static var defaultRules: PixelRuleScript {
        // The text is tested to parse; an empty script is the safe fallback (nothing covered: the fail safe refuses).
        (try? PixelRuleScript(text: defaultText, file: "default.script")) ?? PixelRuleScript(rules: [])
    }
}
