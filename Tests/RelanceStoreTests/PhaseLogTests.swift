import Testing
@testable import RelanceStore

/// `PhaseLog.measure` is wrapped around the bulk phases: it must hand back the phase's
/// result and let its error through untouched, with or without `RELANCE_PHASES`.
@Suite struct PhaseLogTests {
    struct Boom: Error, Equatable { var code: Int }

    @Test func returnsTheBodysValue() {
        var calls = 0
        let v = PhaseLog.measure("a phase") { () -> Int in
            calls += 1
            return 42
        }
        #expect(v == 42)
        #expect(calls == 1)
    }

    @Test func rethrowsTheTypedError() {
        #expect(throws: Boom(code: 7)) {
            try PhaseLog.measure("a failing phase") { () throws(Boom) -> Int in throw Boom(code: 7) }
        }
    }
}
