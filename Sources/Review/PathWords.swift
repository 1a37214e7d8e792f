import DICOMCore
import DICOMDictionary

/// Attribute paths in words for people: `(0008,1115)[0] ReferencedSeriesSequence / (0008,103E) SeriesDescription`.
public enum PathWords {
    /// Each component as its tag, item index and keyword (when the dictionary knows one), joined by ` / `.
    /// - Parameter path: the path of an element in a data set.
    public static func describe(_ path: TagPath) -> String {
        path.components.map { component in
            var text = component.tag.description
            if let item = component.item { text += "[\(item)]" }
            if let keyword = DataDictionary.keyword(for: component.tag) { text += " " + keyword }
            return text
        }.joined(separator: " / ")
    }
}
