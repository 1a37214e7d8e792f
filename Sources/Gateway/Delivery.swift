/// What a destination did with one instance.
package enum Delivery: Sendable, Hashable {
    /// Stored (a C-STORE success or warning, a STOW-RS stored instance).
    case acknowledged
    /// Not stored, and it may be later (no connection, a time-out, out of resources): sent again with backoff.
    case retry(String)
    /// Not stored, and it never will be (the destination cannot take this instance): the spooled instance goes to
    /// quarantine with this reason.
    case refused(String)
}
