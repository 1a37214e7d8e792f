import FileSystem
import Jobs
import Dispatch
import Foundation

/// On SIGINT, SIGTERM or SIGHUP, removes the unfinished outputs this process was writing before it ends, so
/// an interrupted run leaves no temporary file behind (for re-identification they hold identified data).
package enum InterruptCleanup {
    /// Kept alive for the life of the process; written only by ``install(removingTemporariesIn:)``, which
    /// runs once, on the main thread, before any worker starts.
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    /// Installs the handlers for temporaries in `directory` (the output folder).
    package static func install(removingTemporariesIn directory: String) {
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                // Silent first: outputs whose temporaries go now would fail to move into place, which is no error.
                Terminal.silence()
                FileIO.closeTemporaries()
                let removed = FileIO.removeTemporaries(in: directory, prefix: OutputNaming.temporaryPrefix, ofProcess: getpid())
                Terminal.lastLine("interrupted: \(removed) unfinished output\(removed == 1 ? "" : "s") removed")
                // End as the signal asked. Signals may be blocked (an inherited mask; dispatch threads block
                // them): unblock it on this thread, send it to the process, and exit in any case.
                signal(signalNumber, SIG_DFL)
                var set = sigset_t()
                sigemptyset(&set)
                sigaddset(&set, signalNumber)
                pthread_sigmask(SIG_UNBLOCK, &set, nil)
                kill(getpid(), signalNumber)
                _exit(128 + signalNumber)
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Removes what crashed or killed runs left in `directory` (their process has ended, or is a zombie) and
    /// says so, then takes this run's lock among the temporaries, by which later runs know it is alive.
    /// - Throws: ``CLIError`` when the lock file cannot be made.
    package static func removeStale(in directory: String) throws {
        let removed = FileIO.removeStaleTemporaries(in: directory, prefix: OutputNaming.temporaryPrefix)
        if removed > 0 {
            Terminal.line("note: removed \(removed) unfinished output\(removed == 1 ? "" : "s") of an interrupted earlier run in \(directory)")
        }
        do { try FileIO.lockTemporaries(in: directory, prefix: OutputNaming.temporaryPrefix) } catch { throw CLIError("\(error)") }
    }

    /// Releases the lock of ``removeStale(in:)`` at the end of a run that was not interrupted.
    package static func finish(in directory: String) {
        FileIO.unlockTemporaries(in: directory, prefix: OutputNaming.temporaryPrefix)
    }
}
