import ArgumentParser
import CLISupport

/// `dicom-review inventory` (being built).
struct InventoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inventory",
                                                    abstract: "Inventory the attributes of a collection.")
    func run() throws { throw CLIError("inventory is not built yet") }
}
