import Foundation

/// The inventory as one self-contained HTML page (`<report>/inventory.html`), for a curator to read in a browser.
///
/// The page has a summary of the files by SOP class, modality and manufacturer; a table of the rows that sorts
/// when a column header is clicked (numeric columns numerically) and filters by a text box and a "flagged rows
/// only" checkbox; a badge per flag, with flagged rows tinted; and the flags that concern whole files.
///
/// Everything is inline: the CSS, a small script that only reads and reorders the table, and a
/// Content-Security-Policy that forbids the page any network fetch. Every string from the inventory is
/// HTML-escaped (values, keys and private creators can contain anything); none is placed inside the script.
///
/// A link can open the page filtered: `inventory.html#filter=patient&flagged` fills the filter box and ticks
/// "flagged rows only".
///
/// Opening the page with `#selftest` at the end of its URL makes it click a header, type into the filter and
/// tick the checkbox itself, then write what it saw as JSON into `<pre id="selftest">`, so a headless browser
/// (`chromium --headless --dump-dom file://…/inventory.html#selftest`) can check sorting and filtering.
public enum InventoryReport {
    /// Renders the inventory JSON (see docs/review.md, "dicom-review inventory") as an HTML page.
    /// - Parameter json: the contents of `inventory.json`.
    /// - Returns: the complete page, UTF-8 text.
    /// - Throws: ``LeftoverCheckError`` `.reportFailed`, caused by the `DecodingError`, when `json` is not an
    ///   inventory (no `rows`, or a row without `key`).
    public static func html(json: Data) throws(LeftoverCheckError) -> String {
        do {
            return render(try JSONDecoder().decode(Document.self, from: json))
        } catch {
            throw LeftoverCheckError(.reportFailed, cause: error)
        }
    }

    static func render(_ document: Document) -> String {
        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; \
            script-src 'unsafe-inline'; img-src data:">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>dicom-review inventory</title>
            <style>\(stylesheet)</style>
            </head>
            <body>

            """
        page += overview(document)
        page += summary(document.summary)
        page += table(document.rows, knowledgeBase: document.knowledgeBase)
        page += fileFlags(document.fileFlags ?? [])
        page += """
            <pre id="selftest" hidden></pre>
            <script>\(script)</script>
            </body>
            </html>

            """
        return page
    }

    // MARK: - Sections

    /// Title, tool, profile and file counts.
    static func overview(_ document: Document) -> String {
        var facts: [(String, String)] = []
        if let files = document.files { facts.append(("Files", String(files))) }
        if let failed = document.failedFiles { facts.append(("Failed files", String(failed))) }
        if let skipped = document.skippedFiles, skipped > 0 { facts.append(("Skipped (not DICOM)", String(skipped))) }
        facts.append(("Rows", String(document.rows.count)))
        if let profile = document.profile { facts.append(("Profile", profile)) }
        if let cap = document.distinctValueCap { facts.append(("Distinct values exact up to", String(cap))) }
        if let tool = document.tool { facts.append(("Made by", tool)) }
        var html = "<header>\n<h1>Attribute inventory</h1>\n<dl class=\"facts\">\n"
        for (name, value) in facts {
            let warn = name == "Failed files" && value != "0" ? " class=\"warn\"" : ""
            html += "<div\(warn)><dt>\(escape(name))</dt><dd>\(escape(value))</dd></div>\n"
        }
        html += "</dl>\n<p class=\"note\">Counts and rules only"
        html += " (example values appear only when the inventory was made with <code>--show-values</code>).</p>\n"
        return html + "</header>\n"
    }

    /// Three small tables: files per SOP class, modality and manufacturer, most frequent first.
    static func summary(_ summary: Summary?) -> String {
        var html = "<section id=\"summary\">\n<h2>Summary</h2>\n<div class=\"summary\">\n"
        html += countTable("SOP class", summary?.sopClasses ?? [:], id: "summary-sop-classes")
        html += countTable("Modality", summary?.modalities ?? [:], id: "summary-modalities")
        html += countTable("Manufacturer", summary?.manufacturers ?? [:], id: "summary-manufacturers")
        return html + "</div>\n</section>\n"
    }

    static func countTable(_ title: String, _ counts: [String: Int], id: String) -> String {
        var html = "<table class=\"counts\" id=\"\(id)\">\n<thead><tr><th>\(escape(title))</th>"
        html += "<th class=\"num\">Files</th></tr></thead>\n<tbody>\n"
        let ordered = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        for (name, count) in ordered {
            html += "<tr><td>\(escape(name.isEmpty ? "(none)" : name))</td><td class=\"num\">\(count)</td></tr>\n"
        }
        if ordered.isEmpty { html += "<tr><td colspan=\"2\" class=\"none\">none recorded</td></tr>\n" }
        return html + "</tbody>\n</table>\n"
    }

    /// The columns of the row table: header text, key used by the self-test, and whether it sorts numerically.
    static let columns: [(title: String, key: String, numeric: Bool)] = [
        ("Key", "key", false), ("Keyword", "keyword", false), ("Path", "path", false), ("VR", "vrs", false),
        ("Files", "files", true), ("Occurrences", "occurrences", true), ("Distinct", "distinct", true),
        ("Min len", "minLength", true), ("Max len", "maxLength", true), ("Action", "action", false),
        ("Rule", "rule", false), ("Flags", "flags", false),
    ]

    /// The sortable, filterable table of rows, with its controls and a legend of the flags present; with a
    /// private tag knowledge base, its dispositions in a column after the profile's action.
    static func table(_ rows: [Row], knowledgeBase: String? = nil) -> String {
        let showExamples = rows.contains { !($0.examples ?? []).isEmpty }
        let flagged = rows.filter { !($0.flags ?? []).isEmpty }.count
        var html = "<section id=\"attributes\">\n<h2>Attributes</h2>\n"
        html += legend(rows.flatMap { $0.flags ?? [] })
        html += """
            <div class="controls">
            <label>Filter <input type="search" id="filter" placeholder="key, keyword, path, action, flag…" \
            autocomplete="off"></label>
            <label><input type="checkbox" id="flagged-only"> flagged rows only (\(flagged))</label>
            <span class="shown"><span id="shown">\(rows.count)</span> of \(rows.count) rows shown</span>
            </div>
            <noscript><p class="note">Sorting and filtering need JavaScript.</p></noscript>
            <table id="rows">
            <thead><tr>
            """
        for column in columns {
            html += header(column.title, key: column.key, numeric: column.numeric)
            if column.key == "action", let knowledgeBase {
                html += "<th data-key=\"knowledgeBase\" title=\"\(escape(knowledgeBase))\"><button type=\"button\">"
                    + "Knowledge base</button></th>"
            }
        }
        if showExamples { html += "<th data-key=\"examples\"><button type=\"button\">Examples</button></th>" }
        html += "</tr></thead>\n<tbody>\n"
        for (index, row) in rows.enumerated() {
            html += tableRow(row, index: index, showExamples: showExamples, withKnowledgeBase: knowledgeBase != nil)
        }
        html += "</tbody>\n</table>\n"
        if rows.isEmpty { html += "<p class=\"none\">The inventory has no rows.</p>\n" }
        return html + "</section>\n"
    }

    static func header(_ title: String, key: String, numeric: Bool) -> String {
        let type = numeric ? " data-type=\"number\" class=\"num\"" : ""
        return "<th data-key=\"\(key)\"\(type)><button type=\"button\">\(escape(title))</button></th>"
    }

    static func tableRow(_ row: Row, index: Int, showExamples: Bool, withKnowledgeBase: Bool = false) -> String {
        let flags = row.flags ?? []
        let rowClass = flags.isEmpty ? "" : " class=\"flagged\""
        var html = "<tr data-index=\"\(index)\" data-key=\"\(escape(row.key))\"\(rowClass)>"
        html += "<td class=\"mono wrap key\">\(escape(row.key))</td>"
        html += "<td class=\"wrap keyword\">\(escape(row.keyword ?? ""))</td>"
        html += "<td class=\"mono wrap path\">\(escape(row.path ?? ""))</td>"
        html += "<td class=\"mono\">\(escape((row.vrs ?? []).joined(separator: ", ")))</td>"
        html += numberCell(row.files)
        html += numberCell(row.occurrences)
        html += distinctCell(row.distinctValues, estimate: row.distinctIsEstimate ?? false)
        html += numberCell(row.minLength)
        html += numberCell(row.maxLength)
        html += actionCell(row.action)
        if withKnowledgeBase { html += "<td class=\"knowledge-base\">\(escape(row.knowledgeBase ?? ""))</td>" }
        html += ruleCell(rule: row.rule, origin: row.origin)
        html += "<td data-sort=\"\(escape(flags.joined(separator: " ")))\">\(badges(flags))</td>"
        if showExamples {
            let examples = (row.examples ?? []).map { "<li>\(escape($0))</li>" }.joined()
            html += "<td class=\"examples\">" + (examples.isEmpty ? "" : "<ul>\(examples)</ul>") + "</td>"
        }
        return html + "</tr>\n"
    }

    static func numberCell(_ value: Int?) -> String {
        guard let value else { return "<td class=\"num\" data-sort=\"\"></td>" }
        return "<td class=\"num\" data-sort=\"\(value)\">\(value)</td>"
    }

    /// Distinct values; an estimate (past the cap) is shown as `≈ n`.
    static func distinctCell(_ value: Int?, estimate: Bool) -> String {
        guard let value else { return numberCell(nil) }
        guard estimate else { return numberCell(value) }
        return "<td class=\"num estimate\" data-sort=\"\(value)\" title=\"estimated (past the exact-count cap)\">≈ \(value)</td>"
    }

    static func actionCell(_ action: String?) -> String {
        guard let action, !action.isEmpty else { return "<td></td>" }
        return "<td><span class=\"action action-\(cssName(action))\">\(escape(action))</span></td>"
    }

    static func ruleCell(rule: String?, origin: String?) -> String {
        var html = "<td class=\"rule\">\(escape(rule ?? ""))"
        if let origin, !origin.isEmpty { html += "<div class=\"origin\">\(escape(origin))</div>" }
        return html + "</td>"
    }

    /// Flags that concern whole files (burned-in annotation and its likely carriers), and with `--ocr` what OCR
    /// read in each file's pixels: counts only, never the words or a crop of the pixels (they would carry identity).
    static func fileFlags(_ files: [FileFlags]) -> String {
        var html = "<section id=\"file-flags\">\n<h2>Files flagged (\(files.count))</h2>\n"
        guard !files.isEmpty else { return html + "<p class=\"none\">No file carries a flag.</p>\n</section>\n" }
        html += legend(files.flatMap { $0.flags ?? [] })
        let ocr = files.contains { $0.textBoxes != nil || ($0.flags ?? []).contains("pixelsNotRead") }
        html += "<table id=\"files\">\n<thead><tr><th>File</th><th>Modality</th><th>SOP class</th><th>Flags</th>"
        if ocr { html += "<th title=\"words OCR read in the pixels, every frame\">Text boxes</th><th title=\"identifiers of the file's header read in the pixels\">Header terms read</th><th title=\"lines read that look identifying\">Identifying lines</th>" }
        html += "</tr></thead>\n<tbody>\n"
        for file in files {
            html += "<tr class=\"flagged\"><td class=\"mono wrap\">\(escape(file.file))</td>"
            html += "<td>\(escape(file.modality ?? ""))</td><td>\(escape(file.sopClass ?? ""))</td>"
            html += "<td>\(badges(file.flags ?? []))</td>"
            if ocr {
                for count in [file.textBoxes, file.matchedTerms, file.identifyingLines] {
                    html += "<td class=\"num\">\(count.map(String.init) ?? "")</td>"
                }
            }
            html += "</tr>\n"
        }
        return html + "</tbody>\n</table>\n</section>\n"
    }

    // MARK: - Flags

    /// What each known flag means, for the badge tooltip and the legend.
    static let flagMeanings: [String: String] = [
        "freeTextKept": "a free-text VR (LO, LT, ST, UT, SH, PN, UC) that the profile keeps",
        "privateKept": "a private attribute that the profile keeps",
        "unknownCreator": "a private creator that no disposition knows",
        "notInDictionary": "an attribute that is not in the data dictionary",
        "burnedInAnnotation": "Burned In Annotation (0028,0301) is YES",
        "burnedInModality": "a modality that often carries burned-in text (US, SC, XA, RF, ES)",
        "burnedInSOPClass": "a secondary capture, video or encapsulated document SOP class (often burned-in text)",
        "textInPixels": "OCR read text in the pixels",
        "identifyingTextInPixels": "OCR read a header identifier, a date, a long number or an identity label in the pixels: review them by eye before release",
        "pixelsNotRead": "the pixels could not be read for text (OCR): review them by eye",
    ]

    static func badges(_ flags: [String]) -> String {
        flags.map { flag in
            let meaning = flagMeanings[flag].map { " title=\"\(escape($0))\"" } ?? ""
            return "<span class=\"badge flag-\(cssName(flag))\"\(meaning)>\(escape(flag))</span>"
        }.joined(separator: " ")
    }

    /// One line per flag present, with how many times it occurs and what it means.
    static func legend(_ flags: [String]) -> String {
        guard !flags.isEmpty else { return "" }
        var counts: [String: Int] = [:]
        for flag in flags { counts[flag, default: 0] += 1 }
        var html = "<ul class=\"legend\">\n"
        for (flag, count) in counts.sorted(by: { $0.key < $1.key }) {
            html += "<li>\(badges([flag])) × \(count)"
            if let meaning = flagMeanings[flag] { html += ": \(escape(meaning))" }
            html += "</li>\n"
        }
        return html + "</ul>\n"
    }

    // MARK: - Escaping

    /// `text` safe inside HTML text and double- or single-quoted attribute values. Control characters other than
    /// tab, line feed and carriage return (which HTML does not allow) become U+FFFD.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
            case "\u{0}"..."\u{1F}", "\u{7F}"..."\u{9F}": escaped += "\u{FFFD}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// `name` reduced to letters, digits and hyphens, for a CSS class.
    static func cssName(_ name: String) -> String {
        String(name.unicodeScalars.map { scalar -> Character in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9": Character(scalar)
            default: "-"
            }
        })
    }
}
