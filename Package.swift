// swift-tools-version: 6.2
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "dicom-deid",
    products: [
        .library(name: "Deidentification", targets: ["Deidentification"]),
        .library(name: "DICOMCodec", targets: ["DICOMCodec"]),
        .library(name: "CMS", targets: ["CMS"]),
        .executable(name: "dicom-deidentify", targets: ["dicom-deidentify"]),
        .executable(name: "dicom-reidentify", targets: ["dicom-reidentify"]),
        .executable(name: "dicom-review", targets: ["dicom-review"]),
        .executable(name: "dicom-gateway", targets: ["dicom-gateway"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // DICOM data model primitives, no dependencies.
        .target(name: "DICOMCore", swiftSettings: strictSettings),
        // The one error design every module shares: opaque comparable codes, throw site, chained cause.
        .target(name: "Diagnostics", swiftSettings: strictSettings),
        // System libraries opened at run time (dlopen) with their functions looked up by C type: Tesseract, libpq.
        .target(name: "SharedLibraries", swiftSettings: strictSettings),
        // Tables generated from the DICOM standard by Scripts/generate-dictionary.py.
        .target(name: "DICOMDictionary", dependencies: ["DICOMCore"], swiftSettings: strictSettings),
        // zlib, for the Deflated Explicit VR Little Endian transfer syntax.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Linux calls glibc hides behind _GNU_SOURCE (syncfs, renameat2), for atomic, durable output.
        .systemLibrary(name: "CPosix"),
        // The audit logs' records, typed, shared by the batches that write them and the tools that read them.
        .target(name: "AuditRecords", swiftSettings: strictSettings),
        // Whole-file reads and atomic, durable writes; the one place with EINTR loops and errno errors.
        .target(name: "FileSystem", dependencies: ["Diagnostics", "CPosix"], swiftSettings: strictSettings),
        // Part 10 reader and writer, byte exact.
        .target(name: "DICOMCodec", dependencies: ["DICOMCore", "DICOMDictionary", "CZlib", "FileSystem", "Diagnostics"],
                swiftSettings: strictSettings),
        // OpenSSL's libcrypto; imported only by Sources/Hashing and Sources/CMS/Internal.
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // Digests by OpenSSL: SHA-256 (whole and streamed), HMAC-SHA-256 for the keyed mappings, MD5 for CTP's hashes.
        .target(name: "Hashing", dependencies: ["COpenSSL"], swiftSettings: strictSettings),
        // RFC 5652 Enveloped-data: content encryption for recipients, keys, certificates, random bytes.
        .target(name: "CMS", dependencies: ["COpenSSL", "Hashing", "Diagnostics", "FileSystem"], swiftSettings: strictSettings),
        // java.util.Properties text, as CTP reads its scripts and lookup tables.
        .target(name: "JavaProperties", swiftSettings: strictSettings),
        // RSNA CTP DicomAnonymizer scripts: XML and properties formats, functions, CTP-compatible hashes.
        .target(name: "CTPScript", dependencies: ["DICOMCore", "DICOMDictionary", "JavaProperties", "Hashing", "Diagnostics"], swiftSettings: strictSettings),
        // SQLite (embedded) and PostgreSQL's libpq, for the mapping database.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLibPQ", providers: [.apt(["libpq-dev"])]),
        // Sequential integers (@integer) and lookup tables, in SQLite or PostgreSQL.
        .target(name: "MappingStore", dependencies: ["CSQLite", "CLibPQ", "SharedLibraries", "JavaProperties", "FileSystem", "Diagnostics"], swiftSettings: strictSettings),
        // Pixel data as images: description, rectangles, native blanking, frame codecs (RLE written here), pixel rules.
        .target(name: "PixelData", dependencies: ["DICOMCore", "DICOMDictionary", "DICOMCodec", "Diagnostics"], swiftSettings: strictSettings),
        // libjpeg-turbo, CharLS and OpenJPEG; imported only by Sources/PixelCodecs/Internal.
        .systemLibrary(name: "CJPEGTurbo", pkgConfig: "libjpeg", providers: [.apt(["libjpeg62-turbo-dev"])]),
        .systemLibrary(name: "CCharLS", pkgConfig: "charls", providers: [.apt(["libcharls-dev"])]),
        .systemLibrary(name: "COpenJPEG", pkgConfig: "libopenjp2", providers: [.apt(["libopenjp2-7-dev"])]),
        // Frame codecs behind C libraries: JPEG baseline/extended in the DCT domain, JPEG-LS, JPEG 2000.
        .target(name: "PixelCodecs", dependencies: ["PixelData", "CJPEGTurbo", "CCharLS", "COpenJPEG"],
                swiftSettings: strictSettings),
        // The identifying values of a header (names, IDs, dates, institution) as the leftover check and OCR look for them.
        .target(name: "IdentifyingTerms", dependencies: ["DICOMCore", "DICOMCodec", "DICOMDictionary"], swiftSettings: strictSettings),
        // Tesseract 5's C API, headers only (capi.h needs no Leptonica header); imported only by
        // Sources/TextDetection/Internal, which loads libtesseract.so.5 when text is first read, not at every start.
        .systemLibrary(name: "CTesseract",
                       providers: [.apt(["libtesseract-dev", "libleptonica-dev", "tesseract-ocr-eng"])]),
        // Burned-in text read from decoded frames (OCR): word boxes, lines, and which of them identify someone.
        .target(name: "TextDetection", dependencies: ["PixelData", "IdentifyingTerms", "CTesseract", "SharedLibraries", "Diagnostics"], swiftSettings: strictSettings),
        // PS3.15 Annex E engine.
        .target(name: "Deidentification", dependencies: ["DICOMCore", "DICOMDictionary", "DICOMCodec", "CMS", "Hashing", "Diagnostics", "FileSystem", "PixelData",
                                                  "TextDetection", "IdentifyingTerms"],
                swiftSettings: strictSettings),
        // Profiles from files: the native YAML format, private disposition CSVs, CTP scripts as rules.
        .target(name: "ProfileFiles",
                dependencies: ["Deidentification", "DICOMCore", "DICOMDictionary", "DICOMCodec", "CTPScript", "MappingStore",
                               "Hashing", "Diagnostics", "FileSystem", .product(name: "Yams", package: "Yams")],
                swiftSettings: strictSettings),
        // The per-file jobs, the dry run and the batch runner (work queue and committer), tested in-process.
        .target(name: "Jobs", dependencies: ["Deidentification", "DICOMCodec", "DICOMCore", "DICOMDictionary", "CMS", "Hashing", "AuditRecords", "FileSystem", "Diagnostics"],
                swiftSettings: strictSettings),
        // What only the commands need: option groups, terminal output, prompts, signals, exit statuses.
        .target(name: "CLISupport",
                dependencies: ["AuditRecords", "Jobs", "Deidentification", "ProfileFiles", "MappingStore", "CMS", "DICOMCodec", "Diagnostics", "FileSystem", "PixelData",
                               "TextDetection",
                               .product(name: "ArgumentParser", package: "swift-argument-parser")],
                swiftSettings: strictSettings),
        .executableTarget(name: "dicom-deidentify",
                          dependencies: ["AuditRecords", "CLISupport", "Jobs", "Deidentification", "CMS", "DICOMCodec", "DICOMCore", "FileSystem", "Diagnostics",
                                         "MappingStore", "PixelData", "PixelCodecs", .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: strictSettings),
        // Collection review: inventory before release, leftover-identity check after, HTML report.
        .target(name: "Review",
                dependencies: ["AuditRecords", "Jobs", "Deidentification", "ProfileFiles", "DICOMCodec", "DICOMCore", "DICOMDictionary", "CMS", "Diagnostics", "FileSystem",
                               "IdentifyingTerms", "PixelData", "TextDetection"],
                swiftSettings: strictSettings),
        .executableTarget(name: "dicom-review", dependencies: ["Review", "CLISupport", "Jobs", "Deidentification", "DICOMCodec", "FileSystem", "Diagnostics",
                                                               "PixelCodecs",
                                                               .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: strictSettings),
        .executableTarget(name: "dicom-reidentify",
                          dependencies: ["CLISupport", "Jobs", "Deidentification", "CMS", "DICOMCodec", "DICOMCore", "DICOMDictionary", "FileSystem",
                                         "Diagnostics", .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: strictSettings),
        // Assigns and lists @integer numbers in a mapping database (also drives the concurrency tests).
        .executableTarget(name: "dicom-mapping", dependencies: ["CLISupport", "MappingStore", "Diagnostics",
                                                                .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: strictSettings),
        // Throughput benchmark of the codec and the engine (not a product; see Scripts/bench.sh).
        .executableTarget(name: "dicom-bench", dependencies: ["CLISupport", "DICOMCodec", "Deidentification", "CMS", "Diagnostics", "FileSystem", "Jobs", "PixelData", "PixelCodecs", "DICOMCore", "DICOMDictionary", "TextDetection",
                                                              .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: strictSettings),
        // PS3.8 upper layer and PS3.7 DIMSE as values: PDUs, negotiation, command sets, PDV reassembly and
        // fragmentation, status codes; bounded parsers, no I/O (fuzzed without SwiftNIO).
        .target(name: "DICOMNetwork", dependencies: ["DICOMCore", "DICOMCodec", "Diagnostics"], swiftSettings: strictSettings),
        // The same on SwiftNIO: the storage SCP (channel handlers with ARTIM, idle timer, A-ABORT on bad input; server)
        // and the C-STORE SCU.
        .target(name: "DICOMNetworkTransport", dependencies: ["DICOMNetwork", "DICOMCodec", .product(name: "NIOCore", package: "swift-nio"),
                                                              .product(name: "NIOPosix", package: "swift-nio")],
                swiftSettings: strictSettings),
        // STOW-RS over a small HTTP/1.1 client on NIOHTTP1: multipart/related body, response status and reasons.
        .target(name: "DICOMWeb", dependencies: ["DICOMNetwork", .product(name: "NIOCore", package: "swift-nio"),
                                                 .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio")],
                swiftSettings: strictSettings),
        // The de-identifying DICOM node's parts: durable spool, storage service, processing from the spool.
        .target(name: "Gateway", dependencies: ["DICOMNetwork", "Jobs", "AuditRecords", "DICOMCodec", "DICOMCore", "FileSystem",
                                        .product(name: "Yams", package: "Yams")],
                swiftSettings: strictSettings),
        .executableTarget(name: "dicom-gateway",
                          dependencies: ["Gateway", "DICOMNetwork", "DICOMNetworkTransport", "DICOMWeb", "CLISupport", "Jobs", "Deidentification", "CMS", "DICOMCodec", "DICOMCore",
                                         "DICOMDictionary", "FileSystem", "Diagnostics", "MappingStore", "PixelCodecs", "PixelData",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: strictSettings),
        // Test helpers: byte builder DSL, fixture locator, external tool runner.
        .target(name: "DICOMTestSupport", dependencies: ["DICOMCore", "FileSystem"], swiftSettings: strictSettings),

        .testTarget(name: "DICOMCoreTests", dependencies: ["DICOMCore"], swiftSettings: strictSettings),
        .testTarget(name: "DICOMDictionaryTests", dependencies: ["DICOMDictionary", "DICOMCore"], swiftSettings: strictSettings),
        .testTarget(name: "DICOMCodecTests", dependencies: ["DICOMCodec", "DICOMCore", "DICOMDictionary", "DICOMTestSupport", "FileSystem"],
                    swiftSettings: strictSettings),
        .testTarget(name: "CMSTests", dependencies: ["CMS", "FileSystem", "DICOMTestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "DeidentificationTests", dependencies: ["Deidentification", "CMS", "DICOMCodec", "DICOMCore", "DICOMDictionary",
                                                                   "DICOMTestSupport", "FileSystem", "PixelData"],
                    swiftSettings: strictSettings),
        .testTarget(name: "HashingTests", dependencies: ["Hashing", "DICOMTestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "CTPScriptTests", dependencies: ["CTPScript", "Hashing", "DICOMCore", "DICOMTestSupport"],
                    swiftSettings: strictSettings),
        .testTarget(name: "MappingStoreTests", dependencies: ["MappingStore", "DICOMTestSupport", "Diagnostics"],
                    swiftSettings: strictSettings),
        .testTarget(name: "ProfileFilesTests", dependencies: ["ProfileFiles", "Deidentification", "DICOMCodec", "CMS",
                                                              "DICOMDictionary", "DICOMCore", "CTPScript", "MappingStore",
                                                              "DICOMTestSupport"],
                    swiftSettings: strictSettings),
        .testTarget(name: "ReviewTests", dependencies: ["Review", "IdentifyingTerms", "Jobs", "Deidentification", "ProfileFiles", "DICOMCodec",
                                                        "DICOMCore", "DICOMDictionary", "CMS", "DICOMTestSupport", "PixelData", "TextDetection"],
                    swiftSettings: strictSettings),
        .testTarget(name: "InteropTests", dependencies: ["Deidentification", "DICOMTestSupport", "FileSystem", "PixelData", "CMS", "DICOMCodec", "DICOMCore", "PixelCodecs"],
                    swiftSettings: strictSettings),
        .testTarget(name: "PixelDataTests", dependencies: ["PixelData", "DICOMCodec", "DICOMCore", "DICOMTestSupport"],
                    swiftSettings: strictSettings),
        .testTarget(name: "PixelCodecsTests", dependencies: ["PixelCodecs", "PixelData", "DICOMCodec", "DICOMCore", "DICOMTestSupport"],
                    swiftSettings: strictSettings),
        .testTarget(name: "TextDetectionTests", dependencies: ["TextDetection", "PixelData", "PixelCodecs", "DICOMCodec", "DICOMCore",
                                                               "IdentifyingTerms", "DICOMTestSupport"],
                    swiftSettings: strictSettings),
        .testTarget(name: "FileSystemTests", dependencies: ["FileSystem", "DICOMCodec", "DICOMCore", "DICOMTestSupport"],
                    swiftSettings: strictSettings),
        .testTarget(name: "JobsTests", dependencies: ["AuditRecords", "Jobs", "Deidentification", "DICOMCodec", "DICOMCore", "CMS",
                                                      "FileSystem", "DICOMTestSupport", "PixelData"],
                    swiftSettings: strictSettings),
        .testTarget(name: "SharedLibrariesTests", dependencies: ["SharedLibraries"], swiftSettings: strictSettings),
        .testTarget(name: "DICOMNetworkTests", dependencies: ["DICOMNetwork", "DICOMCodec"], swiftSettings: strictSettings),
        .testTarget(name: "GatewayTests", dependencies: ["Gateway", "DICOMNetwork", "DICOMWeb", "DICOMTestSupport", "DICOMCodec", "DICOMCore", "FileSystem"],
                    swiftSettings: strictSettings),
        .testTarget(name: "CLITests", dependencies: ["DICOMTestSupport", "DICOMCodec", "DICOMCore", "DICOMDictionary", "FileSystem", "Diagnostics",
                                                      "TextDetection", "PixelData", "PixelCodecs", "IdentifyingTerms"],
                    swiftSettings: strictSettings),
    ]
)

// libFuzzer targets, built only for Scripts/fuzz.sh (DICOM_DEID_FUZZ=1, with -sanitize=fuzzer): they have no
// main of their own, so an ordinary build leaves them out.
if Context.environment["DICOM_DEID_FUZZ"] != nil {
    package.targets += [
        .target(name: "FuzzDriver", path: "Fuzz/driver"),
        .executableTarget(name: "fuzz-part10", dependencies: ["FuzzDriver", "DICOMCodec"], path: "Fuzz/part10"),
        .executableTarget(name: "fuzz-cms", dependencies: ["FuzzDriver", "CMS"], path: "Fuzz/cms"),
        .executableTarget(name: "fuzz-reidentify", dependencies: ["FuzzDriver", "Deidentification", "DICOMCodec", "DICOMCore", "CMS", "Hashing"],
                          path: "Fuzz/reidentify"),
        .executableTarget(name: "fuzz-profiles", dependencies: ["FuzzDriver", "ProfileFiles", "CTPScript"], path: "Fuzz/profiles"),
        .executableTarget(name: "fuzz-pixels", dependencies: ["FuzzDriver", "PixelData", "DICOMCore"], path: "Fuzz/pixels"),
        .executableTarget(name: "fuzz-jpeg", dependencies: ["FuzzDriver", "PixelCodecs", "PixelData"], path: "Fuzz/jpeg"),
        .executableTarget(name: "fuzz-network", dependencies: ["FuzzDriver", "DICOMNetwork", "FileSystem"], path: "Fuzz/network"),
    ]
}
