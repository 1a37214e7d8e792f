/// AlgorithmIdentifier (RFC 5280 4.1.1.2): `SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }`.
struct AlgorithmIdentifier {
    var oid: String
    /// The parameters' full encoding (tag included), nil when absent.
    var parameters: ArraySlice<UInt8>?

    init?(_ element: DERReader.Element) {
        guard element.tag == DERReader.sequence else { return nil }
        var reader = DERReader(element.content)
        guard let oid = reader.read(tag: DERReader.objectIdentifier).flatMap({ DERReader.dottedOID($0.content) })
        else { return nil }
        self.oid = oid
        parameters = reader.read()?.encoded
    }

    init?(der: ArraySlice<UInt8>) {
        var reader = DERReader(der)
        guard let element = reader.read() else { return nil }
        self.init(element)
    }
}
