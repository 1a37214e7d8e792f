import Deidentification
import FileSystem
import Jobs

/// Prints a batch's per-file events to standard error (`error: FILE: message`), with a progress line on a
/// terminal, and adds to an error the option that would change the outcome.
package struct TerminalReporter: BatchReporter {
    /// The progress line's verb, e.g. `de-identifying`.
    package let verb: String
    /// Show the progress line (standard error is a terminal and the user did not ask for quiet).
    package let showProgress: Bool

    package init(verb: String, showProgress: Bool) {
        self.verb = verb
        self.showProgress = showProgress
    }

    package func report(_ event: BatchEvent, input: String) {
        if showProgress { Terminal.clearStatus() }
        switch event {
        case .error(let text): Terminal.line("error: \(input): \(text)")
        case .warning(let text): Terminal.line("warning: \(input): \(text)")
        case .skipped(let text): Terminal.line("skipped: \(input): \(text)")
        case .checked(let text): Terminal.line("\(input): \(text)")
        }
    }

    package func progress(done: Int, total: Int, failed: Int) {
        guard showProgress else { return }
        Terminal.status("\(verb) \(done)/\(total)" + (failed > 0 ? ", \(failed) failed" : ""))
    }

    package func finished() {
        if showProgress { Terminal.clearStatus() }
    }

    /// The library's words, plus the flag that changes the outcome where there is one.
    package func message(for error: any Error) -> String {
        let text = BatchMessages.text(for: error)
        if let error = error as? DeidentificationError, error.code == .alreadyDeidentified {
            return text + "; use --allow-repeat to add a layer"
        }
        if let error = error as? SystemCallError, error.code == .exists {
            return text + "; use --overwrite to replace it"
        }
        return text
    }
}
