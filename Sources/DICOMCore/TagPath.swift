/// The address of an element in a nested data set: `(0008,1115)[0].(0020,000E)` (PS3.5 7.5).
///
/// Each component but the last names a sequence and an item index; the last names the element.
public struct TagPath: Hashable, Sendable, CustomStringConvertible {
    /// A sequence tag and an item index within it, or a final element tag (`item == nil`).
    public struct Component: Hashable, Sendable {
        public var tag: Tag
        public var item: Int?
        public init(tag: Tag, item: Int? = nil) {
            self.tag = tag
            self.item = item
        }
    }

    public var components: [Component]

    public init(_ components: [Component] = []) { self.components = components }

    /// The path of a top-level element.
    public init(_ tag: Tag) { self.components = [Component(tag: tag)] }

    public var isEmpty: Bool { components.isEmpty }

    /// The tag of the addressed element.
    public var lastTag: Tag? { components.last?.tag }

    /// Nesting depth: 0 for a top-level element.
    public var depth: Int { Swift.max(0, components.count - 1) }

    /// This path, entering item `index` of the element it addresses, then addressing `tag` within.
    public func appending(item index: Int, tag: Tag) -> TagPath {
        var copy = self
        if copy.components.isEmpty { return TagPath(tag) }
        copy.components[copy.components.count - 1].item = index
        copy.components.append(Component(tag: tag))
        return copy
    }

    /// This path with the element `tag` appended at the current level (for a path that ends in an item).
    public func appending(_ tag: Tag) -> TagPath {
        var copy = self
        copy.components.append(Component(tag: tag))
        return copy
    }

    /// The sequence tags leading to the element (without item indexes), then the element's tag.
    public var tags: [Tag] { components.map(\.tag) }

    public var description: String {
        components.map { c in
            if let item = c.item { return "\(c.tag)[\(item)]" }
            return c.tag.description
        }.joined(separator: ".")
    }

    /// Parses `(0008,1115)[0].(0020,000E)`.
    public init?(parsing text: String) {
        var parts: [Component] = []
        for piece in text.split(separator: ".") {
            var tagText = piece
            var item: Int?
            if let open = piece.firstIndex(of: "[") {
                guard piece.last == "]", let index = Int(piece[piece.index(after: open)..<piece.index(before: piece.endIndex)])
                else { return nil }
                item = index
                tagText = piece[..<open]
            }
            guard let tag = Tag(parsing: tagText) else { return nil }
            parts.append(Component(tag: tag, item: item))
        }
        guard !parts.isEmpty else { return nil }
        self.components = parts
    }
}
