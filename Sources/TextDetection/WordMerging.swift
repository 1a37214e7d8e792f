import PixelData

/// Combines the words of several readings of one frame and groups them into lines.
enum WordMerging {
    /// `existing` with the words of `more` added; a word whose box mostly covers (or is mostly covered by) one
    /// already there is one reading of the same word: the more confident reading is kept.
    static func merge(_ existing: [DetectedWord], _ more: [DetectedWord]) -> [DetectedWord] {
        var words = existing
        for word in more {
            if let index = words.firstIndex(where: { sameWord($0.box, word.box) }) {
                if word.confidence > words[index].confidence { words[index] = word }
            } else {
                words.append(word)
            }
        }
        return words
    }

    /// Whether two boxes overlap by more than half of the smaller one.
    static func sameWord(_ a: PixelRectangle, _ b: PixelRectangle) -> Bool {
        let width = min(a.x + a.width, b.x + b.width) - max(a.x, b.x)
        let height = min(a.y + a.height, b.y + b.height) - max(a.y, b.y)
        guard width > 0, height > 0 else { return false }
        return 2 * width * height > min(a.width * a.height, b.width * b.height)
    }

    /// Words grouped into lines, top to bottom, each left to right: a word joins a line when its vertical centre
    /// lies within the line's last word's height and the horizontal gap to it is at most two and a half times the
    /// taller height (monospaced fonts and a lost colon leave wide gaps; a wider one separates two annotations on
    /// one row). Of several lines a word could continue, it joins the one whose last word is best aligned with it
    /// (closest vertical centre and height).
    static func lines(_ words: [DetectedWord]) -> [DetectedLine] {
        let sorted = words.sorted { ($0.box.x, $0.box.y) < ($1.box.x, $1.box.y) }
        var lines: [[DetectedWord]] = []
        for word in sorted {
            let centre = word.box.y + word.box.height / 2
            // Of the lines the word could continue, the one whose last word is best aligned with it: a speckle
            // "word" overlapping the row must not take a value away from its label (`RN` | `at` | `K553098`).
            var match: Int?, best = Int.max
            for (index, line) in lines.enumerated() {
                guard let last = line.last else { continue }
                let lastCentre = last.box.y + last.box.height / 2
                let verticallyAligned = (last.box.y...last.box.y + last.box.height).contains(centre)
                    || (word.box.y...word.box.y + word.box.height).contains(lastCentre)
                let gap = word.box.x - (last.box.x + last.box.width)
                guard verticallyAligned, gap <= 5 * max(last.box.height, word.box.height) / 2 else { continue }
                let offset = abs(lastCentre - centre) + abs(last.box.height - word.box.height)
                if offset <= best { (match, best) = (index, offset) }
            }
            if let match { lines[match].append(word) } else { lines.append([word]) }
        }
        return lines.map { DetectedLine(words: $0) }.sorted { ($0.box.y, $0.box.x) < ($1.box.y, $1.box.x) }
    }
}
