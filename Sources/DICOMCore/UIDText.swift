/// Whether `text` is shaped like a UID: 1 to 64 characters, digits and dots only (PS3.5 9.1).
public func isUIDShaped(_ text: String) -> Bool {
    !text.isEmpty && text.utf8.count <= 64 && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E }
}

/// A UID found in a file, for a message: quoted only when it is shaped like a UID, so an error line never
/// carries arbitrary text from the file.
public func quotedUID(_ text: String) -> String {
    isUIDShaped(text) ? "'\(text)'" : "(a value that is not a UID, \(text.utf8.count) bytes)"
}
