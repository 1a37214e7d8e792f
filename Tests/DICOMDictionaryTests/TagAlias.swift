import DICOMCore

/// swift-testing also declares a `Tag` (for tagging tests); this module's `Tag` is the DICOM one.
typealias Tag = DICOMCore.Tag
