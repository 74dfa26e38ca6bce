import GRDB

/// Migration "v3-remind": the facts each recorded reminder was rendered from.
///
/// Why: a batch is recorded, then published. If the process dies in between, the next run
/// must publish exactly the same bytes — but by then a new ingest may have changed the open
/// amounts, payments or statements that the rendering read. Keeping the rendering's inputs
/// (a JSON document per reminder: contact, invoices with their open amounts, days late,
/// penalties, and the customer's statement lines) makes the re-render a pure function of
/// what was recorded. The rendered bytes themselves are not kept: they are 10–40 times
/// larger (PDF attachments) and the `sha256` column proves the re-render identical.
enum ReminderSchema {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-remind") { db in
            try db.execute(sql: """
                CREATE TABLE reminder_facts (
                    reminder_id TEXT PRIMARY KEY NOT NULL REFERENCES reminders(id),
                    facts TEXT NOT NULL
                );
                """)
        }
    }
}
