// relance-bench-reconcile DIR [--store FILE [--prepared FILE] [--dump OUT] [--engine-runs N]] [--why] — reconciliation quality and speed on generated data.
//
// With --store FILE the data go through the product's store instead (as `relance run` does):
// a fresh SQLite store at FILE, ingest of the three batches, the ingest's exact rule
// (ExactAllocationPass), then Store.reconcile with the engine; the allocations are read back
// from the store (the rows allocations.csv lists). --dump OUT writes what the stage's CSV files are
// made of (snapshot, engine result, allocations and proposals read back) to OUT, one record a line.
//
// Reads DIR/{customers,invoices,payments}.csv with the product's CSVReader, DIR/customer_ibans.csv,
// DIR/payer_knowledge.csv and DIR/truth.csv with the CSV tokenizer (written by
// Benchmarks/reconcile/generate.py), runs the store's exact rule (ExactReferenceAllocator
// semantics, as ExactAllocationPass applies it) and then the Reconciler on what is left, and
// prints precision (correct allocations / all automatic allocations, by count and by amount),
// recall (payments matched exactly as the truth says / matchable payments), per case and per
// stage, and timings.
import Foundation
import RelanceCore
import RelanceFormats
import RelanceStore
#if canImport(Glibc)
import Glibc
#endif

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// CPU seconds of this process: the machine is shared, so wall time alone says little.
func cpu() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func readBytes(_ path: String) -> [UInt8] {
    guard let f = fopen(path, "rb") else { fatalError("cannot open \(path)") }
    defer { fclose(f) }
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let n = fread(&buf, 1, buf.count, f)
        if n <= 0 { break }
        out.append(contentsOf: buf[0..<n])
    }
    return out
}

/// Rows of a small side file (header skipped), as strings.
func rows(_ path: String) -> [[String]] {
    let bytes = readBytes(path)
    var t = CSVTokenizer(bytes: bytes, delimiter: CSVTokenizer.detectDelimiter(bytes))
    var fields: [CSVField] = []
    var out: [[String]] = []
    var first = true
    while !t.isAtEnd {
        guard (try? t.nextRecord(into: &fields)) != nil else { fatalError("\(path): CSV syntax error") }
        if first { first = false; continue }
        if fields.count == 1 && fields[0].isEmpty { continue }
        out.append(fields.map { t.text(of: $0) })
    }
    return out
}

func batch(_ dir: String, _ name: String) -> IngestBatch {
    do {
        return try CSVReader().read(readBytes(dir + "/" + name), context: ReadContext(fileName: name))
    } catch {
        fatalError("\(name): \(error.issues.prefix(3).map(\.description).joined(separator: "; "))")
    }
}

let args = CommandLine.arguments
guard args.count >= 2 else {
    print("usage: relance-bench-reconcile DIR   (DIR written by Benchmarks/reconcile/generate.py)")
    exit(2)
}
let dir = args[1]
let tolerance: Int64 = 500

let t0 = now()
let customersBatch = batch(dir, "customers.csv")
let invoicesBatch = batch(dir, "invoices.csv")
let paymentsBatch = batch(dir, "payments.csv")
let tRead = now()

var ibansOf: [String: [String]] = [:]
for r in rows(dir + "/customer_ibans.csv") where r.count >= 2 { ibansOf[r[0], default: []].append(r[1]) }
var knowledge = PayerKnowledge()
for r in rows(dir + "/payer_knowledge.csv") where r.count >= 2 { knowledge.ibans.append((iban: r[0], customerId: r[1])) }
struct TruthRow { var invoice: String; var amount: Int64 }
var truth: [String: [TruthRow]] = [:]
var matchable: [String: Bool] = [:]
var caseOf: [String: String] = [:]
for r in rows(dir + "/truth.csv") where r.count >= 5 {
    if !r[1].isEmpty { truth[r[0], default: []].append(TruthRow(invoice: r[1], amount: Int64(r[2]) ?? -1)) }
    matchable[r[0]] = r[3] == "1"
    caseOf[r[0]] = r[4]
}
let tSide = now()

struct Alloc { var payment: String; var invoice: String; var amount: Int64; var stage: String }
var allocations: [Alloc] = []
let payments = paymentsBatch.payments.sorted { ($0.date, $0.paymentId) < ($1.date, $1.paymentId) }
let config = ReconciliationConfiguration(writeOffToleranceMinor: tolerance)
var customers: [PayerCustomer] = []
var result = ReconciliationResult()
var invoiceCount = 0
var timing: [String] = []
if let storeIndex = args.firstIndex(of: "--store"), storeIndex + 1 < args.count {
    let path = args[storeIndex + 1]
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    customers = customersBatch.customers.map { PayerCustomer(id: $0.id, name: $0.name, ibans: ibansOf[$0.id] ?? []) }
    let ibans = ibansOf
    let learned = knowledge
    // --prepared FILE: the store as the exact pass left it is kept in FILE (written by the first
    // run, copied by the next ones), so that the reconcile stage can be timed and profiled
    // again without the ingest before it.
    let prepared = args.firstIndex(of: "--prepared").flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil }
    func copyStore(from: String, to: String) throws {
        for suffix in ["", "-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: to + suffix)
            if suffix != "-shm" && FileManager.default.fileExists(atPath: from + suffix) {
                try FileManager.default.copyItem(atPath: from + suffix, toPath: to + suffix)
            }
        }
    }
    do {
        let stamp = "2026-11-23T00:00:00Z"
        let i0 = now()
        var i1 = i0
        if let prepared, FileManager.default.fileExists(atPath: prepared) {
            try copyStore(from: prepared, to: path)
            timing.append("store copied from \(prepared): ingest and exact pass not run")
        } else {
            let store = try Store(path: path)
            func file(_ n: Int, _ name: String) -> IngestedFileInfo {
                IngestedFileInfo(sha256: String(repeating: String(n), count: 64), name: name, size: 1, format: "csv")
            }
            _ = try store.ingest(customersBatch, file: file(1, "customers.csv"), at: stamp, actor: "bench")
            _ = try store.ingest(invoicesBatch, file: file(2, "invoices.csv"), at: stamp, actor: "bench")
            _ = try store.ingest(paymentsBatch, file: file(3, "payments.csv"), at: stamp, actor: "bench")
            i1 = now()
            _ = try store.applyExactAllocations(at: stamp)
        }
        let iExact = now()
        if let prepared, !FileManager.default.fileExists(atPath: prepared) { try copyStore(from: path, to: prepared) }
        let store = try Store(path: path)
        let i2 = now()
        let r2 = cpu()
        let asOf = payments.map(\.date).max() ?? Day(ordinal: 0)
        var engineSeconds = 0.0, engineCPU = 0.0, loaded = 0.0, loadedCPU = 0.0, engineBuilt = 0.0, engineBuiltCPU = 0.0
        // The store has no column for customers' master-data IBANs (no input format carries
        // them yet) and no history of the earlier confirmed matches payer_knowledge.csv stands
        // for: both are handed to the engine beside what the store learnt.
        func engineInputs(_ snapshot: ReconciliationSnapshot) -> (customers: [PayerCustomer], knowledge: PayerKnowledge) {
            var k = snapshot.knowledge
            k.ibans += learned.ibans
            return (snapshot.customers.map { PayerCustomer(id: $0.id, name: $0.name, ibans: ibans[$0.id] ?? []) }, k)
        }
        let done = try store.reconcile(asOf: asOf, at: stamp, actor: "bench") { snapshot in
            let (withIbans, k) = engineInputs(snapshot)
            let e0 = now(), c0 = cpu()
            loaded = e0
            loadedCPU = c0
            let engine = Reconciler(invoices: snapshot.invoices, creditNotes: snapshot.creditNotes, customers: withIbans, knowledge: k,
                                    configuration: config)
            engineBuilt = now() - e0
            engineBuiltCPU = cpu() - c0
            let r = engine.reconcile(snapshot.payments)
            engineSeconds = now() - e0
            engineCPU = cpu() - c0
            return r
        }
        let i3 = now()
        let r3 = cpu()
        result = done.result
        if let d = args.firstIndex(of: "--dump"), d + 1 < args.count {
            // Everything the stage's CSV files are made of (the snapshot, the engine's result, the
            // allocations listed back from the store), one `String(describing:)` per line, to
            // compare two builds byte for byte.
            let out = args[d + 1]
            try? FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            func dump<T>(_ name: String, _ items: [T]) {
                var text = ""
                for item in items { text += String(describing: item); text += "\n" }
                if !FileManager.default.createFile(atPath: out + "/" + name, contents: Data(text.utf8)) { print("cannot write \(out)/\(name)") }
            }
            let s = done.snapshot
            dump("snapshot-invoices.txt", s.invoices)
            dump("snapshot-credit-notes.txt", s.creditNotes)
            dump("snapshot-customers.txt", s.customers)
            dump("snapshot-knowledge.txt", s.knowledge.ibans.map { "iban \($0.iban) \($0.customerId)" } + s.knowledge.names.map { "name \($0.name) \($0.customerId)" })
            dump("snapshot-payments.txt", s.payments)
            dump("snapshot-pending-returns.txt", s.pendingReturns)
            dump("result-allocations.txt", done.result.allocations)
            dump("result-unmatched.txt", done.result.unmatched)
            dump("result-writeoffs.txt", done.result.writeOffProposals)
            dump("result-credits.txt", done.result.unappliedCredits)
            dump("result-learned.txt", done.result.learnedPayers)
            dump("record.txt", [done.record])
            dump("store-allocations.txt", try store.reconciliationAllocations(asOf: asOf))
            dump("store-writeoff-proposals.txt", try store.pendingWriteOffProposals())
        }
        invoiceCount = done.snapshot.invoices.count
        for line in try store.reconciliationAllocations(asOf: asOf) where line.sourceKind == "payment" {
            allocations.append(Alloc(payment: line.source, invoice: line.invoiceNumber, amount: line.amount,
                                     stage: line.rule == AllocationRule.exactInvoiceNumber.rawValue ? "exact" : "engine"))
        }
        let i4 = now()
        // --engine-runs N: the engine again, alone, N times on the same snapshot (it is pure), for
        // comparing two builds on a shared machine by the median rather than by one run.
        if let e = args.firstIndex(of: "--engine-runs"), e + 1 < args.count, let runs = Int(args[e + 1]), runs > 0 {
            let s = done.snapshot
            let (withIbans, k) = engineInputs(s)
            var built: [(Double, Double)] = [], decided: [(Double, Double)] = []
            for _ in 0..<runs {
                let e0 = now(), c0 = cpu()
                let engine = Reconciler(invoices: s.invoices, creditNotes: s.creditNotes, customers: withIbans, knowledge: k, configuration: config)
                let e1 = now(), c1 = cpu()
                let again = engine.reconcile(s.payments)
                built.append((e1 - e0, c1 - c0))
                decided.append((now() - e1, cpu() - c1))
                if again.allocations.count != done.result.allocations.count { print("engine run differs from the stage's"); exit(1) }
            }
            func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
            timing.append(String(format: "engine alone, %d runs: built %.2f s wall / %.2f s CPU, decided %.2f s wall / %.2f s CPU (medians; best %.2f / %.2f s wall)",
                                 runs, median(built.map(\.0)), median(built.map(\.1)), median(decided.map(\.0)), median(decided.map(\.1)),
                                 built.map(\.0).min()!, decided.map(\.0).min()!))
        }
        timing += [String(format: "time (store): ingest %.2f s, exact pass %.2f s, reconcile %.2f s wall / %.2f s CPU: reversals and inputs read %.2f / %.2f s, engine %.2f / %.2f s (of which built %.2f / %.2f s), %d allocations recorded %.2f / %.2f s; listing %.2f s",
                         i1 - i0, iExact - i1, i3 - i2, r3 - r2, loaded - i2, loadedCPU - r2, engineSeconds, engineCPU, engineBuilt, engineBuiltCPU, done.record.allocationsAdded,
                         i3 - loaded - engineSeconds, r3 - loadedCPU - engineCPU, i4 - i3)]
    } catch {
        print("store: \(error)")
        exit(1)
    }
} else {
    // Stage 1: the store's exact rule (ExactAllocationPass semantics).
    struct Inv { var customer: String; var currency: Currency; var open: Int64 }
    var invByNumber: [String: Int] = [:]
    var invs: [Inv] = []
    invByNumber.reserveCapacity(invoicesBatch.documents.count)
    for d in invoicesBatch.documents where d.kind == .invoice {
        invByNumber[d.number] = invs.count
        invs.append(Inv(customer: d.customerId, currency: d.currency, open: d.amount))
    }
    var left: [UnmatchedPayment] = []
    left.reserveCapacity(payments.count)
    let tExact0 = now()
    for p in payments {
        var remaining = p.amount
        var customer = p.customerId
        if p.amount > 0 {
            let named = ExactReferenceAllocator.namedInvoices(invoiceNumber: p.invoiceNumber, reference: p.reference) { invByNumber[String($0)] != nil }
            var opens: [Int64] = [], targets: [Int] = [], numbers: [String] = []
            for n in named {
                guard let i = invByNumber[n] else { continue }
                let inv = invs[i]
                guard inv.currency == p.currency, inv.open > 0 else { continue }
                if let c = customer { guard c == inv.customer else { continue } } else { customer = inv.customer }
                opens.append(inv.open); targets.append(i); numbers.append(n)
            }
            if targets.isEmpty { customer = p.customerId }
            for (k, take) in ExactReferenceAllocator.spread(p.amount, over: opens).enumerated() where take > 0 {
                invs[targets[k]].open -= take
                remaining -= take
                allocations.append(Alloc(payment: p.paymentId, invoice: numbers[k], amount: take, stage: "exact"))
            }
        }
        if remaining != 0 {
            left.append(UnmatchedPayment(paymentId: p.paymentId, customerId: customer, date: p.date, remainingAmount: remaining,
                                         currency: p.currency, reference: p.reference, invoiceNumber: p.invoiceNumber,
                                         structuredReference: p.structuredReference, endToEndId: p.endToEndId,
                                         payerName: p.payerName, payerIban: p.payerIban))
        }
    }
    let tExact = now()

    // Stage 2: the engine.
    var open: [OpenInvoice] = []
    open.reserveCapacity(invs.count)
    for d in invoicesBatch.documents where d.kind == .invoice {
        let o = invs[invByNumber[d.number]!].open
        open.append(OpenInvoice(number: d.number, customerId: d.customerId, currency: d.currency, openAmount: o, issueDate: d.issueDate,
                                dueDate: d.dueDate, paymentReference: d.paymentReference))
    }
    customers = customersBatch.customers.map { PayerCustomer(id: $0.id, name: $0.name, ibans: ibansOf[$0.id] ?? []) }
    let tBuild0 = now()
    let cBuild0 = cpu()
    let engine = Reconciler(invoices: open, customers: customers, knowledge: knowledge, configuration: config)
    let tBuild = now()
    result = engine.reconcile(left)
    let tRun = now()
    let cRun = cpu()
    for a in result.allocations {
        if let pid = a.paymentId { allocations.append(Alloc(payment: pid, invoice: a.invoiceNumber, amount: a.amount, stage: "engine")) }
    }
    invoiceCount = open.count
    timing = [String(format: "time: exact rule %.2f s, engine index %.2f s, engine reconcile %.2f s (engine total %.2f s)",
                     tExact - tExact0, tBuild - tBuild0, tRun - tBuild, tRun - tBuild0),
              String(format: "engine CPU time (index + reconcile, all threads of the process): %.2f s", cRun - cBuild0)]
}

// Quality.
struct Tally { var n = 0; var correct = 0; var amount: Int64 = 0; var correctAmount: Int64 = 0 }
var byStage: [String: Tally] = [:]
var byCaseAlloc: [String: Tally] = [:]
var onUnmatchable = 0
var perPayment: [String: [Alloc]] = [:]
var wrongExamples: [String] = []
for a in allocations {
    let ok = truth[a.payment]?.contains { $0.invoice == a.invoice && $0.amount == a.amount } ?? false
    let c = caseOf[a.payment] ?? "?"
    for key in [a.stage, "all"] {
        byStage[key, default: Tally()].n += 1
        byStage[key, default: Tally()].amount += a.amount
        if ok { byStage[key, default: Tally()].correct += 1; byStage[key, default: Tally()].correctAmount += a.amount }
    }
    byCaseAlloc[c, default: Tally()].n += 1
    if ok { byCaseAlloc[c, default: Tally()].correct += 1 }
    if matchable[a.payment] != true { onUnmatchable += 1 }
    if !ok && wrongExamples.count < 8 { wrongExamples.append("\(a.stage) \(a.payment) → \(a.invoice) \(a.amount) [\(c)]") }
    perPayment[a.payment, default: []].append(a)
}
var recall: [String: (matchable: Int, matched: Int, total: Int)] = [:]
for (pid, m) in matchable {
    let c = caseOf[pid] ?? "?"
    var r = recall[c] ?? (0, 0, 0)
    r.total += 1
    if m {
        r.matchable += 1
        let got = (perPayment[pid] ?? []).map { "\($0.invoice)|\($0.amount)" }.sorted()
        let want = (truth[pid] ?? []).map { "\($0.invoice)|\($0.amount)" }.sorted()
        if got == want { r.matched += 1 }
    }
    recall[c] = r
}

func pct(_ a: Int, _ b: Int) -> String { b == 0 ? "   n/a" : String(format: "%6.2f%%", 100 * Double(a) / Double(b)) }
func pct64(_ a: Int64, _ b: Int64) -> String { b == 0 ? "   n/a" : String(format: "%6.2f%%", 100 * Double(a) / Double(b)) }
print("data: \(dir): \(customers.count) customers, \(invoiceCount) invoices, \(payments.count) payments")
print("")
print("precision            allocations  correct  by count   by amount")
for stage in ["exact", "engine", "all"] {
    let t = byStage[stage] ?? Tally()
    print("  \(stage.padding(toLength: 18, withPad: " ", startingAt: 0)) \(String(t.n).leftPad(11)) \(String(t.correct).leftPad(8))  \(pct(t.correct, t.n))  \(pct64(t.correctAmount, t.amount))")
}
print("  allocations on payments labelled not matchable: \(onUnmatchable)")
print("")
print("recall per case      payments matchable  matched    recall   allocations  correct")
var totM = 0, totD = 0
for c in recall.keys.sorted() {
    let r = recall[c]!
    totM += r.matchable; totD += r.matched
    let a = byCaseAlloc[c] ?? Tally()
    print("  \(c.padding(toLength: 18, withPad: " ", startingAt: 0)) \(String(r.total).leftPad(8)) \(String(r.matchable).leftPad(9)) \(String(r.matched).leftPad(8))  \(pct(r.matched, r.matchable))  \(String(a.n).leftPad(11)) \(String(a.correct).leftPad(8))")
}
print("  \("all".padding(toLength: 18, withPad: " ", startingAt: 0)) \(String(matchable.count).leftPad(8)) \(String(totM).leftPad(9)) \(String(totD).leftPad(8))  \(pct(totD, totM))")
print("")
var ruleCounts: [String: Int] = [:]
for a in result.allocations { ruleCounts[a.rule.rawValue, default: 0] += 1 }
print("engine allocations by rule: " + ruleCounts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
let feeProposals = result.writeOffProposals.filter { caseOf[$0.paymentId] == "bank_fee" }.count
print("write-off proposals: \(result.writeOffProposals.count) (\(feeProposals) on bank_fee payments); unapplied credits: \(result.unappliedCredits.count); learned payers: \(result.learnedPayers.count); unmatched: \(result.unmatched.count)")
if args.contains("--why") {
    // For each case, a few matchable payments left unmatched and why, and a few engine allocations judged false.
    var reasonOf: [String: String] = [:]
    for u in result.unmatched { reasonOf[u.paymentId] = u.reason }
    var shown: [String: Int] = [:]
    for p in payments where matchable[p.paymentId] == true {
        let c = caseOf[p.paymentId] ?? "?"
        let got = (perPayment[p.paymentId] ?? []).map { "\($0.invoice)|\($0.amount)" }.sorted()
        let want = (truth[p.paymentId] ?? []).map { "\($0.invoice)|\($0.amount)" }.sorted()
        guard got != want, shown[c, default: 0] < 3 else { continue }
        shown[c, default: 0] += 1
        print("missed [\(c)] \(p.paymentId) ref='\(p.reference ?? "")' inv='\(p.invoiceNumber ?? "")' name='\(p.payerName ?? "")' amount \(p.amount) want \(want) got \(got): \(reasonOf[p.paymentId] ?? "-")")
    }
    for a in result.allocations {
        guard let pid = a.paymentId, !(truth[pid]?.contains { $0.invoice == a.invoiceNumber && $0.amount == a.amount } ?? false) else { continue }
        print("false [\(caseOf[pid] ?? "?")] \(pid) → \(a.invoiceNumber) \(a.amount): \(a.evidence)")
    }
}
if !wrongExamples.isEmpty { print("false allocations (first \(wrongExamples.count)): " + wrongExamples.joined(separator: "; ")) }
print("")
print(String(format: "time: read CSV %.2f s, side files %.2f s", tRead - t0, tSide - tRead))
for line in timing { print(line) }

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
