import ArgumentParser
import CLISupport

/// `dicom-review check` (being built).
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check",
                                                    abstract: "Check de-identified files for leftover identity.")
    func run() throws { throw CLIError("check is not built yet") }
}
