import DICOMCodec

/// Where a batch says what happens to each input: the command prints to the terminal, a test collects.
package protocol BatchReporter: Sendable {
    /// One event about one input, in input order.
    func report(_ event: BatchEvent, input: String)
    /// Progress: `done` of `total` inputs, `failed` of them failed (called at most every 0.1 s).
    func progress(done: Int, total: Int, failed: Int)
    /// The batch is over: clear any progress display.
    func finished()
    /// The one line to show for an error (a command adds the option that would change the outcome).
    func message(for error: any Error) -> String
}

extension BatchReporter {
    package func progress(done: Int, total: Int, failed: Int) {}
    package func finished() {}
    package func message(for error: any Error) -> String { BatchMessages.text(for: error) }
}

/// The words of a batch's per-file messages.
package enum BatchMessages {
    /// The error in one line, without the file's name: every report line names the input already.
    package static func text(for error: any Error) -> String {
        if let error = error as? DICOMError { return error.withoutFile.description }
        return "\(error)"
    }
}

/// What happened to one input.
package enum BatchEvent: Sendable, Equatable {
    /// The input was not written; the text says why.
    case error(String)
    /// Written, but the user should know something.
    case warning(String)
    /// Not processed, not an error.
    case skipped(String)
    /// Checked, with the check's report.
    case checked(String)
}
