import ArgumentParser

/// A command whose cross-option rules are checked after parsing has finished.
///
/// ArgumentParser runs `validate()` — the command's and every option group's — while it decodes, before it looks
/// for arguments nobody declared. A mistyped option (`--recepient`) then came out as the rule it left unmet
/// ("give at least one --recipient"), not as the unknown option it is. ``CommandRunner`` calls
/// ``checkOptions()`` once the parse succeeded, so ArgumentParser's own errors come first; commands and their
/// option groups keep their rules in `checkOptions()` and leave `validate()` empty.
package protocol CheckedCommand: ParsableCommand {
    /// Throws `ValidationError` for a combination of options that cannot run; reported as a usage error (exit 2).
    func checkOptions() throws
}
