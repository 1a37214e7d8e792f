import ArgumentParser
import CLISupport
import Diagnostics

/// `dicom-review`: inventory a collection before release, check de-identified output for leftover identity.
@main
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dicom-review",
        abstract: "Inventory DICOM files before de-identification; check de-identified files for leftover identity.",
        version: Toolkit.version,
        subcommands: [InventoryCommand.self, CheckCommand.self])

    static func main() { CommandRunner.main(Self.self) }
}
