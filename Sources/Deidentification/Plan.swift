import DICOMCodec
import DICOMCore
import DICOMDictionary

/// One planned change to an element (PS3.15 E.1.1 step 1-3): remove it, or give it a new value.
public struct Edit: Sendable {
    /// Where the element is, e.g. `(0008,1115)[0].(0020,000E)`.
    public var path: TagPath
    public var vr: VR
    public var decision: Decision
    /// The new value; nil removes the element.
    public var newValue: Value?

    public init(path: TagPath, vr: VR, decision: Decision, newValue: Value?) {
        self.path = path
        self.vr = vr
        self.decision = decision
        self.newValue = newValue
    }
}

/// Everything the de-identifier will do to one data set, decided before anything is changed.
public struct Plan: Sendable {
    /// Changes to existing elements, in data set order.
    public var edits: [Edit] = []
    /// Elements the de-identifier sets at the top level (Patient Identity Removed, method, Clinical Trial
    /// attributes from the lookup table, Longitudinal Temporal Information Modified).
    public var settings: [DataElement] = []
    /// Decisions that keep a value, for dry runs: path, VR and rule (empty when the plan was made without
    /// recording them; ``keptCount`` still counts them).
    public var kept: [(path: TagPath, vr: VR, decision: Decision)] = []
    /// How many elements are kept (or kept with their items walked).
    public private(set) var keptCount = 0
    /// The other decisions, listed when kept elements are (empty otherwise): sequences kept with the profile
    /// applied to their items (each item element is listed itself), and top-level group lengths, recomputed
    /// after the edits. With ``edits`` and ``kept`` they decide every element the profile reached.
    public var walked: [(path: TagPath, vr: VR, decision: Decision)] = []
    /// Private attributes no rule or disposition named, removed by the catch-all "private attributes" rule,
    /// counted per private creator ("(no private creator)" for elements without one), for the audit log.
    public var removedPrivateByCreator: [String: Int] = [:]
    /// Things the operator should know about this file (no values), such as how the patient was told apart
    /// without a Patient ID.
    public var notes: [String] = []
    /// Attributes that identify the patient (``PatientIdentifyingAttributes``) the profile kept with their
    /// value, wherever they sit: Patient Identity Removed is then NO. Tags only, never values.
    public var keptIdentifyingAttributes: Set<Tag> = []
    /// What `--clean-pixel-data` does to the pixels (nil when it is off or the file has no Pixel Data).
    public var pixelCleaning: PixelCleaningPlan?

    /// Counts a kept element, and lists it when `path` is given.
    mutating func recordKept(_ path: TagPath?, _ vr: VR, _ decision: Decision) {
        keptCount += 1
        if let path { kept.append((path, vr, decision)) }
    }

    /// How many edits of each action, for the audit log.
    public var actionCounts: [String: Int] {
        // Counted by action first, in a slot per action (a dictionary hashed each edit's action: 250 instructions
        // per edit); read in place (a copy of each edit, with its path and decision, cost more than the count).
        var byAction: [Int] = [0, 0, 0, 0, 0, 0, 0, 0]
        for index in edits.indices { byAction[Self.slot(of: edits[index].decision.action)] += 1 }
        var counts = [String: Int](minimumCapacity: 9)
        for (slot, count) in byAction.enumerated() where count > 0 {
            counts[Self.countedActions[slot].description, default: 0] += count
        }
        if keptCount > 0 { counts["keep", default: 0] += keptCount }
        return counts
    }

    /// Every action, in the order of ``slot(of:)``.
    private static let countedActions: [Action] = [.keep, .recurse, .remove, .empty, .dummy, .replaceUID, .shiftDates, .replace]

    /// The place of `action` in ``countedActions`` (a switch, so a new action does not compile until it has one).
    private static func slot(of action: Action) -> Int {
        switch action {
        case .keep: 0
        case .recurse: 1
        case .remove: 2
        case .empty: 3
        case .dummy: 4
        case .replaceUID: 5
        case .shiftDates: 6
        case .replace: 7
        }
    }
}
