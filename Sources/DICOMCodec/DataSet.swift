import DICOMCore

/// An ordered collection of data elements (PS3.5 7): kept in file order, never re-sorted.
///
/// Lookups are binary searches while the elements are in ascending tag order, as PS3.5 7.1 requires, and
/// linear scans for the rare file that is not. Edits keep ascending order: inserts go to their sorted place.
public struct DataSet: Sendable {
    public private(set) var elements: [DataElement]
    private var isAscending: Bool

    public init() {
        elements = []
        isAscending = true
    }

    /// A data set of `elements` in the given order.
    public init(_ elements: [DataElement]) {
        self.elements = elements
        var ascending = true
        var i = 1
        while i < elements.count {
            if !(elements[i - 1].tag < elements[i].tag) {
                ascending = false
                break
            }
            i += 1
        }
        isAscending = ascending
    }

    /// A data set of `elements` whose order the caller has already checked: `isAscending` must be true
    /// exactly when every tag is greater than the one before (the reader knows this from its duplicate check).
    init(elements: [DataElement], isAscending: Bool) {
        self.elements = elements
        self.isAscending = isAscending
    }

    public var count: Int { elements.count }
    public var isEmpty: Bool { elements.isEmpty }

    /// The position of `tag`, or nil.
    public func index(of tag: Tag) -> Int? {
        if isAscending {
            var low = 0, high = elements.count
            while low < high {
                let mid = (low + high) / 2
                let t = elements[mid].tag
                if t == tag { return mid }
                if t < tag { low = mid + 1 } else { high = mid }
            }
            return nil
        }
        return elements.firstIndex { $0.tag == tag }
    }

    /// The element with `tag`, or nil.
    public subscript(tag: Tag) -> DataElement? {
        guard let i = index(of: tag) else { return nil }
        return elements[i]
    }

    public func contains(_ tag: Tag) -> Bool { index(of: tag) != nil }

    /// Inserts `element`, or replaces the element with the same tag in place.
    public mutating func set(_ element: DataElement) {
        if let i = index(of: element.tag) {
            elements[i] = element
            return
        }
        let position = elements.firstIndex { $0.tag > element.tag } ?? elements.endIndex
        elements.insert(element, at: position)
        if isAscending, position > 0, elements[position - 1].tag > element.tag { isAscending = false }
    }

    /// Sets each of `newElements` in turn, as ``set(_:)`` does; in one merge (no search, no shifting) when this
    /// data set and `newElements` are both in ascending tag order, as a decoded item and a data set usually are.
    public mutating func set(contentsOf newElements: [DataElement]) {
        var ascending = isAscending
        var i = 1
        while ascending, i < newElements.count {
            ascending = newElements[i - 1].tag < newElements[i].tag
            i += 1
        }
        guard ascending, newElements.count > 1 else {
            for element in newElements { set(element) }
            return
        }
        var merged: [DataElement] = []
        merged.reserveCapacity(elements.count + newElements.count)
        var old = 0, new = 0
        while old < elements.count, new < newElements.count {
            let a = elements[old].tag, b = newElements[new].tag
            if a < b {
                merged.append(elements[old])
                old += 1
            } else {
                merged.append(newElements[new])
                new += 1
                if a == b { old += 1 }
            }
        }
        merged.append(contentsOf: elements[old...])
        merged.append(contentsOf: newElements[new...])
        elements = merged
    }

    /// Removes the element with `tag` and returns it.
    @discardableResult
    public mutating func remove(_ tag: Tag) -> DataElement? {
        guard let i = index(of: tag) else { return nil }
        return elements.remove(at: i)
    }

    /// Replaces the element at `index`.
    public mutating func replace(at index: Int, with element: DataElement) {
        elements[index] = element
        if isAscending {
            let before = index > 0 ? elements[index - 1].tag < element.tag : true
            let after = index + 1 < elements.count ? element.tag < elements[index + 1].tag : true
            isAscending = before && after
        }
    }

    /// Removes every element for which `shouldRemove` is true.
    /// - Throws: what `shouldRemove` throws; the data set is then unchanged.
    public mutating func removeAll<Failure: Error>(where shouldRemove: (DataElement) throws(Failure) -> Bool) throws(Failure) {
        var kept: [DataElement] = []
        kept.reserveCapacity(elements.count)
        for element in elements {
            if try !shouldRemove(element) { kept.append(element) }
        }
        elements = kept
    }

    /// Calls `body` with each element for in-place modification; the tags must not change.
    /// - Throws: what `body` throws.
    public mutating func updateEach<Failure: Error>(_ body: (inout DataElement) throws(Failure) -> Void) throws(Failure) {
        for i in elements.indices { try body(&elements[i]) }
    }

    /// The private creator string that reserves the block of private element `tag` in this data set
    /// (PS3.5 7.8.1), trailing spaces and NULs removed.
    public func privateCreator(of tag: Tag) -> String? {
        guard let creatorTag = tag.privateCreatorTag, let creator = self[creatorTag]?.bytes else { return nil }
        return TextDecoding.trimmedASCII(creator)
    }
}

// MARK: - Tag paths

extension DataSet {
    /// The element at `path`, descending through sequence items.
    public func element(at path: TagPath) -> DataElement? {
        var current = self
        for (n, component) in path.components.enumerated() {
            guard let element = current[component.tag] else { return nil }
            if n == path.components.count - 1 { return element }
            guard let index = component.item, let sequence = element.sequence,
                  sequence.items.indices.contains(index) else { return nil }
            current = sequence.items[index].dataSet
        }
        return nil
    }

    /// Calls `body` on the data set that holds the element addressed by `path` (the item, or self).
    /// - Throws: ``DICOMError`` with code `.noSuchElement` naming the path when an intermediate sequence or item
    ///   is missing.
    public mutating func modifyContainer(of path: TagPath,
                                         _ body: (inout DataSet) throws(DICOMError) -> Void) throws(DICOMError) {
        guard let first = path.components.first else { return }
        if path.components.count == 1 {
            try body(&self)
            return
        }
        guard let i = index(of: first.tag), let item = first.item,
              case .sequence(var sequence) = elements[i].value, sequence.items.indices.contains(item) else {
            throw DICOMError(.noSuchElement, path: path, reason: "no item to hold this element")
        }
        let rest = TagPath(Array(path.components.dropFirst()))
        elements[i].value = .bytes([])      // drop the second reference, so the edit below mutates in place
        defer { elements[i].value = .sequence(sequence) }
        try sequence.items[item].dataSet.modifyContainer(of: rest, body)
    }

    /// Sets the element at `path`, creating it (not its containers) when absent.
    /// - Throws: ``DICOMError`` with code `.noSuchElement` when a sequence or item on the path is missing.
    public mutating func set(_ element: DataElement, at path: TagPath) throws(DICOMError) {
        try modifyContainer(of: path) { $0.set(element) }
    }

    /// Removes the element at `path`.
    @discardableResult
    /// - Throws: ``DICOMError`` with code `.noSuchElement` when a sequence or item on the path is missing.
    public mutating func remove(at path: TagPath) throws(DICOMError) -> DataElement? {
        var removed: DataElement?
        try modifyContainer(of: path) { ds in
            if let tag = path.lastTag { removed = ds.remove(tag) }
        }
        return removed
    }
}
