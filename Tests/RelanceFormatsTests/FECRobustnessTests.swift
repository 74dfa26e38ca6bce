import RelanceCore
import Testing
@testable import RelanceFormats

/// Damaged FECs: whatever the bytes, the reader returns a batch or a rejection, never traps.
@Suite("FEC robustness")
struct FECRobustnessTests {
    /// A small deterministic generator (SplitMix64), so a failure replays.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let base: [UInt8] = {
        var lines = FECReaderTests.sale("VE1", "20240105", piece: "F1", letter: "A")
        lines += FECReaderTests.sale("VE2", "20240110", piece: "F2", customer: "C2", letter: "b")
        lines += FECReaderTests.receipt("BQ1", "20240201", amount: "120", letter: "A")
        lines += FECReaderTests.receipt("BQ2", "20240202", amount: "70", customer: "C2", letter: "b")
        lines += [
            FECReaderTests.line("AN", "AN1", "20240101", "41100000", aux: "C3", auxName: "Client C3", label: "A nouveau", debit: "5"),
            FECReaderTests.line("AN", "AN1", "20240101", "10100000", label: "A nouveau", credit: "5"),
        ]
        return FECReaderTests.fec(lines)
    }()

    @Test func undamagedBaseIsRead() throws {
        let batch = try FECReader().read(Self.base, context: ReadContext(fileName: "base.fec"))
        #expect(batch.documents.count == 3 && batch.payments.count == 2 && batch.allocations.count == 2)
    }

    @Test(arguments: 0..<8)
    func mutatedFilesNeverTrap(seed: Int) {
        var rng = SplitMix(state: UInt64(seed) &* 7919 &+ 1)
        let alphabet: [UInt8] = Array("\t|\n\r0123456789,.-+ AaNnouveau4117é".utf8) + [0xE9, 0xFF, 0x00, 0xC3]
        var accepted = 0, rejected = 0
        for _ in 0..<150 {
            var bytes = Self.base
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: bytes[at] = alphabet.randomElement(using: &rng) ?? 0
                case 1: bytes.insert(alphabet.randomElement(using: &rng) ?? 0, at: at)
                case 2: if bytes.count > 1 { bytes.remove(at: at) }
                default: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...40, using: &rng)))
                }
            }
            do {
                let batch = try FECReader().read(bytes, context: ReadContext(fileName: "fuzz.fec"))
                accepted += 1
                #expect(batch.documents.allSatisfy { $0.amount > 0 })
                #expect(batch.allocations.allSatisfy { $0.amount > 0 })
            } catch {
                rejected += 1
                #expect(!error.issues.isEmpty)
            }
        }
        #expect(accepted + rejected == 150)
        #expect(rejected > 0)
    }
}
