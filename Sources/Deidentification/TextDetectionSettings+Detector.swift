import TextDetection

extension TextDetectionSettings {
    /// Runs `body` with a detector of this setting's pool that no other thread uses meanwhile (Tesseract handles
    /// are not thread-safe): for readers outside de-identification (`dicom-review check --ocr`).
    /// - Throws: what `body` throws, or ``TextDetection/TextDetectionError`` when another detector cannot start.
    public func withDetector<T>(_ body: (TextDetector) throws(TextDetectionError) -> T) throws(TextDetectionError) -> T {
        try pool.withDetector(body)
    }
}
