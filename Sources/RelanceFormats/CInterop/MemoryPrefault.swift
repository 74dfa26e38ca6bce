#if canImport(Glibc)
import Glibc
#endif

/// Maps the pages of a large array's reserved storage before they are written, in one system
/// call (`madvise(MADV_POPULATE_WRITE)`, Linux 5.14+), instead of one page fault per 4 KiB
/// page as the writes reach them.
///
/// Why: a reader that builds a few hundred thousand records writes tens of megabytes of
/// fresh memory. Each first touch of a page is a fault, and on this machine (a virtual
/// machine) a fault costs several microseconds, most of it entering and leaving the kernel:
/// reading a million-line FEC spent about a fifth of its CPU time there. Populating the pages
/// of an array whose final size is known (reserved exactly) pays the page allocation without
/// the per-page trap. (Huge pages, tried first, were slower: the kernel compacts memory to
/// find them and zeroes 2 MiB at a time, far ahead of the writes.)
///
/// The advice is a hint: on an older kernel or another system the call fails or does
/// nothing, and only the speed changes. Only for arrays reserved to the size they will
/// reach: populated pages that are never written are memory wasted until the array is freed.
enum MemoryPrefault {
    /// Below this many bytes of capacity the saving does not pay for the system call.
    static let minimumBytes = 1 << 20

    /// Populates the whole pages of `array`'s reserved storage. Returns the number of bytes
    /// populated (0 when the array is small or the call failed).
    @discardableResult
    static func populate<Element>(_ array: inout [Element]) -> Int {
        let bytes = array.capacity * MemoryLayout<Element>.stride
        guard bytes >= minimumBytes else { return 0 }
        #if os(Linux)
        return array.withUnsafeMutableBufferPointer { buffer -> Int in
            guard let base = buffer.baseAddress else { return 0 }
            let page = 4096
            let start = (Int(bitPattern: base) + page - 1) & ~(page - 1)
            let end = (Int(bitPattern: base) + bytes) & ~(page - 1)
            guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return 0 }
            return madvise(pointer, end - start, 23 /* MADV_POPULATE_WRITE */) == 0 ? end - start : 0
        }
        #else
        return 0
        #endif
    }
}
