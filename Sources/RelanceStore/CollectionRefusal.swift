/// Why a collection decision (dispute, case, promise, plan) cannot be applied: unknown
/// invoice, closed case, impossible transition… The action layer turns it into a refusal of
/// that one row; the store's savepoint undoes whatever the operation had written.
public struct CollectionRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    /// The action-file field at fault (`invoice_number`, `stage`…), when one is.
    public var field: String?

    public init(_ reason: String, field: String? = nil) {
        self.reason = reason; self.field = field
    }

    public var description: String { field.map { "\($0): \(reason)" } ?? reason }
}
