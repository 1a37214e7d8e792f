/// The plan manifest's JSON, written and read by hand: the bytes `JSONEncoder` writes for the `Codable` form of
/// ``ScalePlan`` (keys sorted, slashes unescaped, absent optionals left out), and a reader of that form that
/// accepts what `JSONDecoder` accepts for it (any white space and key order, `null` for an absent optional,
/// unknown keys ignored). Both agree with the coders (tested); they cost a fraction: planning encodes and every
/// part and the merge decode one object per input.
enum ScalePlanJSON {
    // MARK: Writing

    /// One input as one JSON object, keys in sorted order.
    static func append(_ input: ScalePlan.PlannedInput, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "{"))
        if let copyOf = input.copyOf {
            bytes += "\"copyOf\":".utf8
            appendString(copyOf, to: &bytes)
            bytes.append(UInt8(ascii: ","))
        }
        if let distinct = input.distinct { bytes += (distinct ? "\"distinct\":true," : "\"distinct\":false,").utf8 }
        bytes += "\"modified\":".utf8
        appendInteger(input.modified, to: &bytes)
        bytes += (input.named ? ",\"named\":true,\"part\":" : ",\"named\":false,\"part\":").utf8
        appendInteger(Int64(input.part), to: &bytes)
        bytes += ",\"path\":".utf8
        appendString(input.path, to: &bytes)
        bytes += ",\"relativePath\":".utf8
        appendString(input.relativePath, to: &bytes)
        if let sharing = input.sharing { bytes += (sharing ? ",\"sharing\":true" : ",\"sharing\":false").utf8 }
        bytes += ",\"size\":".utf8
        appendInteger(input.size, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
    }

    /// `value` in decimal digits (an interpolated `String` cost more than the rest of an input's line).
    static func appendInteger(_ value: Int64, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        let start = bytes.count
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        bytes[start...].reverse()
    }

    /// `value` as a JSON string the way `JSONEncoder` writes it: `"` and `\` escaped, `\b \t \n \f \r` short,
    /// other control characters as `\u00xx`, everything else (slashes, DEL, non-ASCII) as is.
    static func appendString(_ value: String, to bytes: inout [UInt8]) {
        var value = value
        bytes.append(UInt8(ascii: "\""))
        value.withUTF8 { utf8 in
            var run = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes += UnsafeBufferPointer(rebasing: utf8[run..<index])
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes += [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
                default: bytes.append(byte)   // a quote or a backslash
                }
                run = index + 1
            }
            bytes += UnsafeBufferPointer(rebasing: utf8[run...])
        }
        bytes.append(UInt8(ascii: "\""))
    }

    // MARK: Reading

    /// The plan in `bytes`.
    /// - Throws: ``JSONScanner/Malformed`` when they are not JSON of the manifest's form (a field missing or of
    ///   another type, trailing bytes).
    static func plan(_ bytes: [UInt8]) throws(JSONScanner.Malformed) -> ScalePlan {
        var scanner = JSONScanner(bytes)
        var format: String?, fingerprint: String?, parts: Int?, inputs: [ScalePlan.PlannedInput]?
        try scanner.object { key, scanner throws(JSONScanner.Malformed) in
            if key.isKey("format") { format = try scanner.string() }
            else if key.isKey("secretFingerprint") { fingerprint = try scanner.string() }
            else if key.isKey("parts") { parts = try scanner.int() }
            else if key.isKey("inputs") {
                var read: [ScalePlan.PlannedInput] = []
                try scanner.array { scanner throws(JSONScanner.Malformed) in read.append(try input(&scanner)) }
                inputs = read
            } else { try scanner.skipValue() }
        }
        try scanner.expectEnd()
        guard let format, let fingerprint, let parts, let inputs else {
            throw JSONScanner.Malformed(offset: 0, reason: "a field of the plan is missing")
        }
        var plan = ScalePlan(secretFingerprint: fingerprint, parts: parts, inputs: inputs)
        plan.format = format
        return plan
    }

    /// One input's object.
    private static func input(_ scanner: inout JSONScanner) throws(JSONScanner.Malformed) -> ScalePlan.PlannedInput {
        let start = scanner.index
        var path: String?, relativePath: String?, named: Bool?, size: Int64?, modified: Int64?, part: Int?
        var sharing: Bool?, distinct: Bool?, copyOf: String?
        try scanner.object { key, scanner throws(JSONScanner.Malformed) in
            if key.isKey("path") { path = try scanner.string() }
            else if key.isKey("relativePath") { relativePath = try scanner.string() }
            else if key.isKey("named") { named = try scanner.bool() }
            else if key.isKey("size") { size = try scanner.integer() }
            else if key.isKey("modified") { modified = try scanner.integer() }
            else if key.isKey("part") { part = try scanner.int() }
            else if key.isKey("sharing") { sharing = try scanner.optionalBool() }
            else if key.isKey("distinct") { distinct = try scanner.optionalBool() }
            else if key.isKey("copyOf") { copyOf = try scanner.optionalString() }
            else { try scanner.skipValue() }
        }
        guard let path, let relativePath, let named, let size, let modified, let part else {
            throw JSONScanner.Malformed(offset: start, reason: "a field of a planned input is missing")
        }
        return ScalePlan.PlannedInput(path: path, relativePath: relativePath, named: named, size: size, modified: modified,
                                      part: part, sharing: sharing, distinct: distinct, copyOf: copyOf)
    }
}
