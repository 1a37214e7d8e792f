import DICOMCore
import DICOMDictionary

/// The dictionary lookups ``VRResolver`` needs to give elements of implicit VR data their VRs.
///
/// ``StandardVRDictionary`` (the generated PS3.6 and private dictionaries) is the one the reader uses;
/// tests conform a stub to check the resolver's rules on their own.
public protocol VRDictionary: Sendable {
    /// The dictionary VR of a standard attribute, or `nil` when the dictionary does not know the tag.
    /// - Parameter tag: the tag as read.
    func vr(for tag: Tag) -> DictionaryVR?

    /// The VR of a private data element, or `nil` when the dictionary does not know it.
    /// - Parameters:
    ///   - creator: the value of the private creator element reserving the block.
    ///   - group: the (odd) group number.
    ///   - elementByte: the low byte of the element number.
    func privateVR(creator: String, group: UInt16, elementByte: UInt8) -> VR?
}

/// The generated tables of DICOMDictionary: ``DataDictionary`` and ``PrivateDictionary``.
public struct StandardVRDictionary: VRDictionary {
    public init() {}

    @inlinable
    public func vr(for tag: Tag) -> DictionaryVR? {
        DataDictionary.vr(for: tag)
    }

    @inlinable
    public func privateVR(creator: String, group: UInt16, elementByte: UInt8) -> VR? {
        PrivateDictionary.vr(creator: creator, group: group, elementByte: elementByte)
    }
}
