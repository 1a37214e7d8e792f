/// CSV lookup tables: a header `type,key,value`, then one entry a row (RFC 4180 quoting, CRLF or LF).
enum CSVParser {
    /// The rows filed as `type/key` -> value.
    static func entries(_ text: String, location: String?) throws(MappingStoreError) -> [String: String] {
        let rows = try parse(text, location: location)
        guard let header = rows.first,
              header.fields.map({ $0.trimmingSpaces().lowercased() }) == ["type", "key", "value"] else {
            throw MappingStoreError(.malformedTable, reason: "the CSV header must be type,key,value", location: location)
        }
        var entries: [String: String] = [:]
        for row in rows.dropFirst() {
            if row.fields.count == 1, row.fields[0].trimmingSpaces().isEmpty { continue }
            guard row.fields.count == 3 else {
                throw MappingStoreError(.malformedTable, reason: "line \(row.line) has \(row.fields.count) fields, not 3",
                                        location: location)
            }
            entries[row.fields[0].trimmingSpaces() + "/" + row.fields[1].trimmingSpaces()] = row.fields[2]
        }
        return entries
    }

    /// Records with the line each starts on (1-based).
    private static func parse(_ text: String, location: String?) throws(MappingStoreError) -> [(line: Int, fields: [String])] {
        var rows: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var line = 1, rowLine = 1
        var inQuotes = false, quotedFieldClosed = false
        var scalars = text.unicodeScalars[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        var iterator = scalars.makeIterator()
        var pending: Unicode.Scalar? = iterator.next()
        func endRow() {
            fields.append(String(field))
            rows.append((line: rowLine, fields: fields))
            fields = []
            field = String.UnicodeScalarView()
            quotedFieldClosed = false
        }
        while let scalar = pending {
            pending = iterator.next()
            if inQuotes {
                if scalar == "\"" {
                    if pending == "\"" {
                        field.append("\"")
                        pending = iterator.next()
                    } else {
                        inQuotes = false
                        quotedFieldClosed = true
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty && !quotedFieldClosed:
                inQuotes = true
            case ",":
                fields.append(String(field))
                field = String.UnicodeScalarView()
                quotedFieldClosed = false
            case "\r" where pending == "\n":
                continue
            case "\n", "\r":
                endRow()
                line += 1
                rowLine = line
            default:
                field.append(scalar)
            }
        }
        if inQuotes {
            throw MappingStoreError(.malformedTable, reason: "unterminated quote in the row starting on line \(rowLine)",
                                    location: location)
        }
        if !field.isEmpty || !fields.isEmpty { endRow() }
        return rows
    }
}
