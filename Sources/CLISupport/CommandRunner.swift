import ArgumentParser
import Diagnostics
#if canImport(Glibc)
import Glibc
#endif

/// Exit statuses of both commands.
package enum ExitStatus {
    /// Every file was processed.
    package static let success: Int32 = 0
    /// At least one file failed; the others were processed.
    package static let someFailed: Int32 = 1
    /// The command was called wrongly, or could not start (bad key, certificate, secret, output folder).
    package static let usage: Int32 = 2
}

/// Runs a command with the documented exit statuses: usage errors exit 2 (ArgumentParser's default is 64).
package enum CommandRunner {
    /// - Parameter arguments: the arguments to parse (default: the process's own, after its name).
    package static func main<Command: ParsableCommand>(_ type: Command.Type, arguments: [String]? = nil) -> Never {
        do {
            var command = try type.parseAsRoot(arguments)
            if let checked = command as? any CheckedCommand {
                do {
                    try checked.checkOptions()
                } catch let error as ValidationError {
                    // ArgumentParser's layout for its own usage errors.
                    let subcommand = Swift.type(of: checked)
                    let path = [type.configuration.commandName, subcommand == type ? nil : subcommand.configuration.commandName]
                        .compactMap { $0 }.joined(separator: " ")
                    Terminal.line("Error: \(error.message)\nUsage: \(type.usageString(for: subcommand))\n  See '\(path) --help' for more information.")
                    exit(ExitStatus.usage)
                }
            }
            try command.run()
            exit(ExitStatus.success)
        } catch let error as CLIError {
            Terminal.line("\(type.configuration.commandName ?? "error"): \(error.description)")
            exit(ExitStatus.usage)
        } catch let error as any StructuredError {
            // A library's one-line error (an input not found, an audit log that cannot be opened): nothing started.
            Terminal.line("\(type.configuration.commandName ?? "error"): \(error.description)")
            exit(ExitStatus.usage)
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            let text = type.fullMessage(for: error)
            let status = type.exitCode(for: error)
            if status == .success {
                print(text)
                exit(ExitStatus.success)
            }
            Terminal.line(text)
            exit(ExitStatus.usage)
        }
    }
}
