// Timing harness for FECReader: the `relance-bench-fec` executable (release build, run by
// Benchmarks/readers.py), or compiled by measure.sh together with the reader's sources.
// Never part of the test suite.
import Foundation
import RelanceCore
#if canImport(RelanceFormats)
import RelanceFormats
#endif

/// CPU seconds of this process: on a shared machine, wall time mostly measures the neighbours.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

@main
struct FECReadBench {
    static func main() throws {
        let arguments = CommandLine.arguments
        guard arguments.count >= 2 else {
            print("usage: relance-bench-fec FILE [RUNS]")
            exit(2)
        }
        let runs = max(1, arguments.count > 2 ? Int(arguments[2]) ?? 5 : 5)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: arguments[1])))
        var wall: [Double] = [], cpu: [Double] = []
        var kept: [IngestBatch] = []  // freed after the clock stops: the measure is bytes → batch
        for _ in 0..<runs {
            let c0 = cpuSeconds(), t0 = DispatchTime.now().uptimeNanoseconds
            let batch: IngestBatch
            do {
                batch = try FECReader().read(bytes, context: ReadContext(fileName: arguments[1]))
            } catch {
                print("rejected: \(error)")
                exit(1)
            }
            let t1 = DispatchTime.now().uptimeNanoseconds
            cpu.append(cpuSeconds() - c0)
            wall.append(Double(t1 - t0) / 1e9)
            kept.append(batch)
        }
        let b = kept[0]
        print("customers \(b.customers.count), documents \(b.documents.count), payments \(b.payments.count), allocations \(b.allocations.count)")
        wall.sort(); cpu.sort()
        let mb = Double(bytes.count) / 1e6
        print(String(format: "%.1f MB, %d runs: CPU median %.3f s = %.0f MB/s (best %.0f MB/s); wall median %.3f s = %.0f MB/s (best %.0f MB/s)",
                     mb, runs, cpu[runs / 2], mb / cpu[runs / 2], mb / cpu[0], wall[runs / 2], mb / wall[runs / 2], mb / wall[0]))
    }
}
