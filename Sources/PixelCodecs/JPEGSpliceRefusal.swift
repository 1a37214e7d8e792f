/// Why ``JPEGBlockSplicer`` leaves a frame to libjpeg's whole transcoding: a stream structure it does not rewrite
/// (progressive, arithmetic, a DNL marker, tables redefined after the first scan), a Huffman table without a
/// code the new blocks need, or damage it will not guess about. Not an error: libjpeg then writes the frame, or
/// reports the damage in its own words.
struct JPEGSpliceRefusal: Error, Hashable, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
