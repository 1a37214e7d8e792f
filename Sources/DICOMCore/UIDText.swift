/// A UID found in a file, for a message: quoted only when it is shaped like a UID (digits and dots, at most
/// 64 characters, PS3.5 9.1), so an error line never carries arbitrary text from the file.
public func quotedUID(_ text: String) -> String {
    let isUID = !text.isEmpty && text.utf8.count <= 64
        && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E }
    return isUID ? "'\(text)'" : "(a value that is not a UID, \(text.utf8.count) bytes)"
}
