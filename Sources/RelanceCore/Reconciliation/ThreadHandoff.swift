import Synchronization

/// One value handed from a helper thread to the thread that waits for it (after
/// `DispatchGroup.wait()`), for the engine's two-thread work (`Reconciler`).
final class ThreadHandoff<Value: Sendable>: Sendable {
    private let slot = Mutex<Value?>(nil)

    init() {}

    func put(_ value: sending Value) {
        slot.withLock { $0 = value }
    }

    func take() -> Value? {
        slot.withLock { v -> Value? in
            let out = v
            v = nil
            return out
        }
    }
}
