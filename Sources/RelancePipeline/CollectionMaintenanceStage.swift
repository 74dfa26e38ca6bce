import RelanceStore

/// The collection maintenance stage (after reconciliation, before reminders): see
/// `StoreTransaction.runCollectionMaintenance`. One transaction, journaled as the run's actor.
public enum CollectionMaintenanceStage {
    public static func run(_ ctx: RunContext, store: Store) throws -> CollectionMaintenanceReport {
        try store.transaction(actor: ctx.actor, at: ctx.timestamp) { tx in try tx.runCollectionMaintenance(asOf: ctx.asOf) }
    }
}
