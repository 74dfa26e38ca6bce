/// Migration "v3-reconcile": what reconciliation must remember between runs.
///
/// - `payment_reversals`: a return or reversal ("rejet", "contre-passation") applied once to
///   the payment it reverses. Its allocations were undone when the row was written; the row
///   keeps the reversed amount out of that payment's remainder, so reruns neither undo again
///   nor re-match money that went back to the payer.
/// - `writeoff_proposals`: short payments within tolerance, proposed for a write-off
///   ("écart de règlement"). Kept because the payment that revealed the difference is fully
///   allocated afterwards: a later run could not find it again, and the proposal must stay on
///   the list until a person decides (a `writeoff` action) or the invoice is settled otherwise.
enum ReconciliationSchema {
    static let v3 = """
        CREATE TABLE payment_reversals (
            reversal_payment_id INTEGER PRIMARY KEY REFERENCES payments(id),
            reversed_payment_id INTEGER NOT NULL REFERENCES payments(id),
            amount INTEGER NOT NULL CHECK (amount > 0),
            applied_at TEXT NOT NULL
        );
        CREATE INDEX payment_reversals_reversed ON payment_reversals(reversed_payment_id);

        CREATE TABLE writeoff_proposals (
            payment_id INTEGER NOT NULL REFERENCES payments(id),
            invoice_id INTEGER NOT NULL REFERENCES documents(id),
            amount INTEGER NOT NULL CHECK (amount > 0),
            currency TEXT NOT NULL,
            reason TEXT NOT NULL,
            proposed_at TEXT NOT NULL,
            PRIMARY KEY (payment_id, invoice_id)
        );
        """
}
