import DICOMCore
import Synchronization

/// The decisions of one profile for one IOD that do not depend on the file, made once per run instead of once per
/// element per file (issue 23).
///
/// What decides a standard attribute is its tag, its VR, where it sits (inside an item, inside a dummied item, a
/// sequence left as UN bytes), the sequences leading to it (for its IOD Type), the IOD and whether the run takes
/// patients from a lookup table: never its value or another attribute of the file, unless the rule that matches
/// is a script. Private attributes are left out (their rules read the block's private creator and the
/// instance's safe private declarations), and so are the resolutions of scripts.
///
/// A pass over one file reads a ``snapshot()`` without locking and hands back what it learned with
/// ``learn(_:)``, once per file: after the first few files of a run every standard attribute is a hit.
final class DecisionIndex: Sendable {
    /// What a decision depends on, besides the profile and the IOD (the index is per both).
    struct Key: Hashable, Sendable {
        let tag: Tag
        let vr: VR
        /// Inside an item, inside a dummied item, a sequence in UN bytes, and the run's use of a lookup table
        /// (which names a pseudonym's source): one bit each.
        let placement: UInt8
        /// The sequence tags leading to the element (its IOD Type is looked up by them).
        let sequencePath: [Tag]

        /// The key of `subject`; nil for a private attribute, whose decision depends on the file.
        init?(_ subject: MatchSubject, sequencePath: [Tag], usesLookup: Bool) {
            guard !subject.tag.isPrivate else { return nil }
            tag = subject.tag
            vr = subject.vr
            placement = (subject.isInsideItem ? 1 : 0) | (subject.isInsideDummiedItem ? 2 : 0)
                | (subject.isUndecodedSequence ? 4 : 0) | (usesLookup ? 8 : 0)
            self.sequencePath = sequencePath
        }

        /// The fields packed into few words before hashing: a key is looked up for every standard element of
        /// every file, and each `combine` is a step of SipHash.
        func hash(into hasher: inout Hasher) {
            hasher.combine(UInt64(tag.group) << 48 | UInt64(tag.element) << 32 | UInt64(vr.rawValue) << 8 | UInt64(placement))
            hasher.combine(sequencePath.count)
            for tag in sequencePath { hasher.combine(UInt32(tag.group) << 16 | UInt32(tag.element)) }
        }
    }

    private let known = Mutex<[Key: Profile.Resolution]>([:])

    /// Every decision learned so far (a copy of the dictionary's reference: no lock while it is read).
    func snapshot() -> [Key: Profile.Resolution] {
        known.withLock { $0 }
    }

    /// Adds `learned`, the decisions a pass made that the snapshot it read did not hold.
    func learn(_ learned: [Key: Profile.Resolution]) {
        guard !learned.isEmpty else { return }
        known.withLock { known in known.merge(learned) { old, _ in old } }
    }
}
