import Foundation

/// Wall and CPU seconds of the bulk phases, on stderr when `RELANCE_PHASES` is set.
///
/// The benchmark's totals say how long a run took; this says where the time went (parsing,
/// each table's load and index build, the allocation pass, the commit), which is what a
/// speed change must be judged on. Off by default: nothing is measured or printed.
public enum PhaseLog {
    public static let enabled = ProcessInfo.processInfo.environment["RELANCE_PHASES"] != nil

    public static func measure<T, E: Error>(_ label: @autoclosure () -> String, _ body: () throws(E) -> T) throws(E) -> T {
        guard enabled else { return try body() }
        let wall0 = DispatchTime.now().uptimeNanoseconds
        let cpu0 = threadCPUSeconds()
        defer { report(label(), wall0: wall0, cpu0: cpu0) }
        return try body()
    }

    /// A phase that does not fit one closure (a loop whose body throws out of the function):
    /// `start` it, then `end` it.
    public struct Span {
        let label: String
        let wall0: UInt64
        let cpu0: Double

        public func end() {
            guard PhaseLog.enabled else { return }
            PhaseLog.report(label, wall0: wall0, cpu0: cpu0)
        }
    }

    public static func start(_ label: String) -> Span {
        Span(label: label, wall0: enabled ? DispatchTime.now().uptimeNanoseconds : 0, cpu0: enabled ? threadCPUSeconds() : 0)
    }

    private static func report(_ label: String, wall0: UInt64, cpu0: Double) {
        let wall = Double(DispatchTime.now().uptimeNanoseconds - wall0) / 1e9
        let cpu = threadCPUSeconds() - cpu0
        FileHandle.standardError.write(Data("phase \(label): \(format(wall)) s wall, \(format(cpu)) s CPU (this thread)\n".utf8))
    }

    private static func format(_ v: Double) -> String { String(format: "%.3f", v) }

    private static func threadCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
