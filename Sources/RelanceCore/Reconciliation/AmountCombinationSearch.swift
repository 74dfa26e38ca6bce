/// Rule 5's bounded search: which subsets of a customer's open items sum exactly to a payment.
///
/// Deterministic: items are taken in the order given (oldest first), subsets of size 2 up to
/// `maxSize` are visited in lexicographic order, and the search stops at the second fit (an
/// ambiguity is all it needs to know) or when `nodeBudget` subsets have been visited.
public enum AmountCombinationSearch {
    public enum Outcome: Sendable, Equatable {
        /// Exactly one subset fits: the indices into the items, ascending.
        case unique([Int])
        /// Two subsets (at least) fit: the first two found.
        case ambiguous([Int], [Int])
        case none
        /// The budget ran out before the search could prove uniqueness.
        case budgetExhausted
    }

    public static func search(amounts: [Int64], target: Int64, maxSize: Int, nodeBudget: Int) -> Outcome {
        var nodes = 0
        var found: [[Int]] = []
        var chosen: [Int] = []
        var exhausted = false
        // Suffix sums of positive amounts prune branches that cannot reach the target.
        func visit(from start: Int, sum: Int64) -> Bool {
            if chosen.count >= maxSize { return false }
            var i = start
            while i < amounts.count {
                nodes += 1
                if nodes > nodeBudget { exhausted = true; return true }
                let a = amounts[i]
                let (s, overflow) = sum.addingReportingOverflow(a)
                if !overflow && a > 0 && s <= target {
                    chosen.append(i)
                    if s == target {
                        if chosen.count >= 2 {
                            found.append(chosen)
                            if found.count >= 2 { return true }
                        }
                    } else if visit(from: i + 1, sum: s) {
                        return true
                    }
                    chosen.removeLast()
                }
                i += 1
            }
            return false
        }
        _ = visit(from: 0, sum: 0)
        if found.count >= 2 { return .ambiguous(found[0], found[1]) }
        if exhausted { return .budgetExhausted }
        if let f = found.first { return .unique(f) }
        return .none
    }
}
