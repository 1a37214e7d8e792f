/// A place the gateway forwards each de-identified instance to, besides its folder: a C-STORE SCP or a STOW-RS
/// service (made by `dicom-gateway`, which holds the network code). `send` is given the path of the instance's
/// de-identified Part 10 file in the folder, and must be safe to call again for the same file: the gateway
/// sends again whatever was not acknowledged, after a crash too.
package struct Destination: Sendable {
    /// How the log names it: `scp ARCHIVE@host:port`, `stow http://host:port/dicom-web`.
    package let name: String
    package let send: @Sendable (_ path: String) -> Delivery

    package init(name: String, send: @escaping @Sendable (_ path: String) -> Delivery) {
        self.name = name
        self.send = send
    }
}
