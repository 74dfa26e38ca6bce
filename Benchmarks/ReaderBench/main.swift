// Timing harness for the statement and ledger readers: the `relance-bench-reader` executable
// (release build, run by Benchmarks/readers.py; camt next to lxml_parse.py on the same file).
// Never part of the test suite.
import Foundation
import RelanceCore
import RelanceFormats

/// CPU seconds of this process: on a shared machine, wall time mostly measures the neighbours.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

/// What each format is read by, and the summary line printed after the timings.
let readers: [String: (reader: any InputReader, summary: (IngestBatch) -> String)] = [
    // The same summary line as lxml_parse.py, so the two can be compared word for word.
    "camt": (CamtReader(), { b in
        let credits = b.payments.filter { $0.amount > 0 }
        let total = credits.reduce(Int64(0)) { $0 + $1.amount }
        return "payments \(b.payments.count), credits \(credits.count), credit total \(total / 100).\(String(format: "%02d", total % 100))"
    }),
    "fec": (FECReader(), { b in
        "customers \(b.customers.count), documents \(b.documents.count), payments \(b.payments.count), allocations \(b.allocations.count)"
    }),
]

let arguments = CommandLine.arguments
guard arguments.count >= 3, let format = readers[arguments[1]] else {
    print("usage: relance-bench-reader camt|fec FILE [RUNS]")
    exit(2)
}
let runs = max(1, arguments.count > 3 ? Int(arguments[3]) ?? 5 : 5)
let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: arguments[2])))
var wall: [Double] = [], cpu: [Double] = []
var kept: [IngestBatch] = []  // freed after the clock stops: the measure is bytes → batch
for _ in 0..<runs {
    let c0 = cpuSeconds(), t0 = DispatchTime.now().uptimeNanoseconds
    let batch: IngestBatch
    do {
        batch = try format.reader.read(bytes, context: ReadContext(fileName: arguments[2]))
    } catch {
        print("rejected: \(error)")
        exit(1)
    }
    let t1 = DispatchTime.now().uptimeNanoseconds
    cpu.append(cpuSeconds() - c0)
    wall.append(Double(t1 - t0) / 1e9)
    kept.append(batch)
}
print(format.summary(kept[0]))
// RELANCE_BENCH_DUMP=path writes every record of the batch, one a line: diffing two dumps
// shows whether a speed change left what the reader returns untouched.
if let dumpPath = ProcessInfo.processInfo.environment["RELANCE_BENCH_DUMP"] {
    let b = kept[0]
    var text = ""
    for c in b.customers { text += String(reflecting: c) + "\n" }
    for d in b.documents { text += String(reflecting: d) + "\n" }
    for p in b.payments { text += String(reflecting: p) + "\n" }
    for a in b.allocations { text += String(reflecting: a) + "\n" }
    for n in b.notes { text += "note: " + n + "\n" }
    do {
        try text.write(toFile: dumpPath, atomically: true, encoding: .utf8)
    } catch {
        print("cannot write \(dumpPath): \(error)")
        exit(1)
    }
}
wall.sort(); cpu.sort()
let mb = Double(bytes.count) / 1e6
print(String(format: "%.1f MB, %d runs: CPU median %.3f s = %.1f MB/s (best %.1f MB/s); wall median %.3f s = %.1f MB/s (best %.1f MB/s)",
             mb, runs, cpu[runs / 2], mb / cpu[runs / 2], mb / cpu[0], wall[runs / 2], mb / wall[runs / 2], mb / wall[0]))
