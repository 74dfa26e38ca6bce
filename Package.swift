// swift-tools-version: 6.0
// Relance — accounts-receivable collection for French and EU companies.
// Layers (each knows only the ones below it):
//   RelanceCore (pure domain) ← RelanceFormats (readers/writers, the only C user)
//   ← RelanceStore (SQLite/GRDB) ← RelancePipeline (stages) ← RelanceCommands ← executables
import PackageDescription

let package = Package(
    name: "Relance",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "relance", targets: ["relance"]),
        .executable(name: "relance-ingest", targets: ["relance-ingest"]),
        .executable(name: "relance-report", targets: ["relance-report"]),
        .executable(name: "relance-reconcile", targets: ["relance-reconcile"]),
        .executable(name: "relance-dossier", targets: ["relance-dossier"]),
        .executable(name: "relance-remind", targets: ["relance-remind"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // C libraries: a module map and a shim header each, nothing else.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CPopplerGlib", pkgConfig: "poppler-glib", providers: [.apt(["libpoppler-glib-dev"])]),
        .systemLibrary(name: "CPangoCairo", pkgConfig: "pangocairo", providers: [.apt(["libpango1.0-dev", "libcairo2-dev"])]),
        .systemLibrary(name: "CXlsxWriter", pkgConfig: "xlsxwriter", providers: [.apt(["libxlsxwriter-dev"])]),

        .target(name: "RelanceCore"),
        .target(
            name: "RelanceFormats",
            dependencies: [
                "RelanceCore", "CLibXML2", "CArchive", "CPopplerGlib", "CPangoCairo", "CXlsxWriter",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "RelanceStore",
            dependencies: [
                "RelanceCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                // Raw statements for the bulk loaders bind straight into SQLite.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "RelancePipeline",
            dependencies: [
                "RelanceCore", "RelanceFormats", "RelanceStore",
                .product(name: "Yams", package: "Yams"),
                // Reminder templates (e-mail, letters, SMS, call talking points).
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Resources")]
        ),
        .target(
            name: "RelanceCommands",
            dependencies: [
                "RelanceCore", "RelancePipeline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "relance", dependencies: ["RelanceCommands"]),
        .executableTarget(name: "relance-ingest", dependencies: ["RelanceCommands"]),
        .executableTarget(name: "relance-report", dependencies: ["RelanceCommands"]),
        .executableTarget(name: "relance-reconcile", dependencies: ["RelanceCommands"]),
        .executableTarget(name: "relance-dossier", dependencies: ["RelanceCommands"]),
        .executableTarget(name: "relance-remind", dependencies: ["RelanceCommands"]),

        // Benchmarks: generators' consumers and timing harnesses behind `make bench`.
        .executableTarget(
            name: "relance-bench-reconcile",
            dependencies: ["RelanceCore", "RelanceFormats", "RelanceStore"],
            path: "Benchmarks/ReconcileBench"
        ),
        // Reader timings for `make bench-readers` (Benchmarks/readers.py): file bytes → IngestBatch.
        .executableTarget(
            name: "relance-bench-reader",
            dependencies: ["RelanceCore", "RelanceFormats"],
            path: "Benchmarks/ReaderBench"
        ),

        .target(name: "RelanceTestSupport", dependencies: ["RelanceCore"]),
        .testTarget(name: "RelanceCoreTests", dependencies: ["RelanceCore", "RelanceTestSupport"]),
        .testTarget(
            name: "RelanceFormatsTests",
            dependencies: ["RelanceFormats", "RelanceCore", "RelanceTestSupport"],
            exclude: ["Validators"]
        ),
        .testTarget(name: "RelanceStoreTests", dependencies: ["RelanceStore", "RelanceCore", "RelanceTestSupport"]),
        .testTarget(
            name: "RelancePipelineTests",
            dependencies: ["RelancePipeline", "RelanceCommands", "RelanceStore", "RelanceFormats", "RelanceCore", "RelanceTestSupport"],
            exclude: ["Golden"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
