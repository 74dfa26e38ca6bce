// Reconciliation quality and speed benchmark (filled in by the reconciliation work).
print("relance-bench-reconcile: not built yet")
