/// How outputs are named, the one place `--keep-layout` is decided: by the UIDs of what was written (the
/// default), or by the input's path relative to the folder it was found in.
package enum OutputLayout: Sendable {
    /// `<study>/<series>/<instance>.dcm` (``OutputNaming/uidPath(study:series:instance:)``).
    case uids
    /// The input's relative path (`--keep-layout`): folder and file names often carry identity.
    case inputPaths

    /// The name of the output written from `input`, whose data set has these UIDs.
    package func name(for input: InputScanner.Input, study: String?, series: String?, instance: String?) -> String {
        switch self {
        case .uids: return OutputNaming.uidPath(study: study, series: series, instance: instance)
        case .inputPaths: return input.relativePath
        }
    }

    /// What to do when a name is taken by another file: an input's own path is not renamed (the layout is the
    /// point), so that fails; a UID name takes `byUIDs`.
    package func whenTaken(byUIDs: OutputSettings.WhenTaken) -> OutputSettings.WhenTaken {
        self == .inputPaths ? .fail : byUIDs
    }
}
