import GRDB

/// The store's schema, as versioned migrations.
///
/// Each migration is applied once and recorded by GRDB in `grdb_migrations`; later issues
/// (disputes, litigation cases, reminders, tasks) append "v2", "v3"… here and never edit
/// a migration that has shipped. Secondary indexes are named (never inline `UNIQUE`) so
/// that a bulk load into an empty table can drop them and build them once at the end.
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: v1)
        }
        migrator.registerMigration("v2") { db in
            try db.execute(sql: v2)
        }
        migrator.registerMigration("v3-reconcile") { db in try db.execute(sql: ReconciliationSchema.v3) }
        ReminderSchema.register(in: &migrator)
        return migrator
    }

    /// Indexes that the bulk path drops and recreates, per table.
    static let documentIndexes = [
        "CREATE UNIQUE INDEX documents_number ON documents(number)",
        "CREATE INDEX documents_credit_notes ON documents(original_invoice) WHERE kind = 'credit_note' AND original_invoice IS NOT NULL",
    ]
    static let paymentIndexes = [
        "CREATE UNIQUE INDEX payments_ref ON payments(payment_ref)",
    ]
    static let allocationIndexes = [
        "CREATE INDEX allocations_invoice ON allocations(invoice_id, amount)",
        "CREATE INDEX allocations_payment ON allocations(payment_id, amount) WHERE payment_id IS NOT NULL",
        "CREATE INDEX allocations_credit_note ON allocations(credit_note_id, amount) WHERE credit_note_id IS NOT NULL",
    ]

    private static let v1 = """
        CREATE TABLE companies (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            siren TEXT,
            vat_number TEXT,
            iban TEXT,
            address TEXT,
            email TEXT
        );

        CREATE TABLE ingested_files (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL,
            name TEXT NOT NULL,
            size INTEGER NOT NULL,
            format TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('ingested', 'rejected')),
            record_count INTEGER NOT NULL DEFAULT 0,
            processed_at TEXT NOT NULL,
            errors TEXT
        );
        CREATE UNIQUE INDEX ingested_files_sha256 ON ingested_files(sha256);

        CREATE TABLE customers (
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT,
            siren TEXT,
            vat_number TEXT,
            email TEXT,
            phone TEXT,
            address TEXT,
            postal_code TEXT,
            city TEXT,
            country TEXT,
            language TEXT,
            kind TEXT NOT NULL DEFAULT 'business' CHECK (kind IN ('business', 'consumer')),
            source_file_id INTEGER REFERENCES ingested_files(id),
            updated_at TEXT NOT NULL
        );

        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            number TEXT NOT NULL,
            customer_id TEXT NOT NULL REFERENCES customers(id),
            kind TEXT NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
            issue_date INTEGER NOT NULL,
            due_date INTEGER,
            due_date_derived INTEGER NOT NULL DEFAULT 0,
            delivery_date INTEGER,
            currency TEXT NOT NULL,
            amount_excl_tax INTEGER,
            tax INTEGER,
            amount INTEGER NOT NULL,
            original_invoice TEXT,
            payment_reference TEXT,
            collection_status INTEGER NOT NULL DEFAULT 0,
            source_file_id INTEGER REFERENCES ingested_files(id),
            source_location TEXT
        );
        CREATE UNIQUE INDEX documents_number ON documents(number);
        CREATE INDEX documents_credit_notes ON documents(original_invoice) WHERE kind = 'credit_note' AND original_invoice IS NOT NULL;

        CREATE TABLE payments (
            id INTEGER PRIMARY KEY,
            payment_ref TEXT NOT NULL,
            customer_id TEXT REFERENCES customers(id),
            date INTEGER NOT NULL,
            value_date INTEGER,
            amount INTEGER NOT NULL,
            currency TEXT NOT NULL,
            reference TEXT,
            invoice_number TEXT,
            payer_name TEXT,
            payer_iban TEXT,
            structured_reference TEXT,
            end_to_end_id TEXT,
            reverses TEXT,
            source_file_id INTEGER REFERENCES ingested_files(id),
            source_location TEXT
        );
        CREATE UNIQUE INDEX payments_ref ON payments(payment_ref);

        CREATE TABLE allocations (
            id INTEGER PRIMARY KEY,
            invoice_id INTEGER NOT NULL REFERENCES documents(id),
            payment_id INTEGER REFERENCES payments(id),
            credit_note_id INTEGER REFERENCES documents(id),
            amount INTEGER NOT NULL CHECK (amount > 0),
            currency TEXT NOT NULL,
            rule TEXT NOT NULL,
            evidence TEXT NOT NULL,
            confirmed_by TEXT,
            created_at TEXT NOT NULL,
            source_file_id INTEGER REFERENCES ingested_files(id),
            CHECK (payment_id IS NULL OR credit_note_id IS NULL)
        );
        CREATE INDEX allocations_invoice ON allocations(invoice_id, amount);
        CREATE INDEX allocations_payment ON allocations(payment_id, amount) WHERE payment_id IS NOT NULL;
        CREATE INDEX allocations_credit_note ON allocations(credit_note_id, amount) WHERE credit_note_id IS NOT NULL;

        CREATE TABLE attachments (
            id INTEGER PRIMARY KEY,
            document_number TEXT NOT NULL,
            file_name TEXT NOT NULL,
            media_type TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            stored_path TEXT,
            content BLOB,
            source_file_id INTEGER REFERENCES ingested_files(id)
        );
        CREATE UNIQUE INDEX attachments_document_content ON attachments(document_number, sha256);

        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            kind TEXT NOT NULL,
            subject_type TEXT,
            subject_id TEXT,
            detail TEXT,
            source_file_id INTEGER REFERENCES ingested_files(id)
        );
        CREATE INDEX events_subject ON events(subject_type, subject_id);
        CREATE TRIGGER events_no_update BEFORE UPDATE ON events
            BEGIN SELECT RAISE(ABORT, 'the events journal is append-only: UPDATE refused'); END;
        CREATE TRIGGER events_no_delete BEFORE DELETE ON events
            BEGIN SELECT RAISE(ABORT, 'the events journal is append-only: DELETE refused'); END;
        """

    /// v2: the collection side, shared by the stages that write it and the ones that read it.
    ///
    /// - Reminders (written by the reminder stage, read by the dossiers): one row per message
    ///   (customer, step, channel) of a batch, and one `reminder_items` row per invoice it
    ///   covers. `UNIQUE(document_id, step, channel)` is the "never twice" rule in the schema
    ///   itself: a second reminder of the same step by the same channel cannot be recorded.
    /// - Delivery events (feedback files from the mailer or the registered-letter provider),
    ///   with the proof's content kept for the litigation dossier.
    /// - Disputes ("litiges") per invoice: at most one open per invoice.
    /// - Litigation cases ("contentieux") per customer: at most one open per customer, the
    ///   invoices they cover, and their dated stages.
    /// - Promises to pay and payment plans (instalments), which hold reminders while kept.
    /// - Payment decisions of the credit manager (refund, ignore, write-off) and write-offs.
    /// Days are stored as `Day.ordinal`-style integers like `documents.issue_date`; money as
    /// integer minor units with its currency.
    private static let v2 = """
        CREATE TABLE reminders (
            id TEXT PRIMARY KEY NOT NULL,
            as_of INTEGER NOT NULL,
            customer_id TEXT NOT NULL REFERENCES customers(id),
            step TEXT NOT NULL,
            channel TEXT NOT NULL CHECK (channel IN ('email', 'letter', 'registered_letter', 'sms', 'call')),
            amount INTEGER NOT NULL,
            currency TEXT NOT NULL,
            file TEXT,
            sha256 TEXT,
            status TEXT NOT NULL DEFAULT 'recorded'
                CHECK (status IN ('recorded', 'published', 'delivered', 'bounced', 'deposited', 'acknowledged')),
            created_at TEXT NOT NULL,
            published_at TEXT
        );
        CREATE INDEX reminders_customer ON reminders(customer_id, as_of);
        CREATE INDEX reminders_as_of ON reminders(as_of);

        CREATE TABLE reminder_items (
            reminder_id TEXT NOT NULL REFERENCES reminders(id),
            document_id INTEGER NOT NULL REFERENCES documents(id),
            step TEXT NOT NULL,
            channel TEXT NOT NULL,
            open_amount INTEGER NOT NULL,
            days_late INTEGER NOT NULL,
            PRIMARY KEY (reminder_id, document_id)
        );
        CREATE UNIQUE INDEX reminder_items_once ON reminder_items(document_id, step, channel);

        CREATE TABLE delivery_events (
            id INTEGER PRIMARY KEY,
            reminder_id TEXT NOT NULL REFERENCES reminders(id),
            event TEXT NOT NULL CHECK (event IN ('delivered', 'bounced', 'deposited', 'acknowledged')),
            date INTEGER NOT NULL,
            provider_ref TEXT,
            proof_name TEXT,
            proof_sha256 TEXT,
            proof_content BLOB,
            recorded_at TEXT NOT NULL,
            source_file_id INTEGER REFERENCES ingested_files(id)
        );
        CREATE UNIQUE INDEX delivery_events_once ON delivery_events(reminder_id, event, date);

        CREATE TABLE disputes (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id),
            category TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
            owner TEXT,
            comment TEXT,
            opened_on INTEGER NOT NULL,
            opened_by TEXT NOT NULL,
            resolved_on INTEGER,
            resolution TEXT CHECK (resolution IS NULL OR resolution IN ('paid', 'credited', 'manual')),
            resolution_comment TEXT
        );
        CREATE UNIQUE INDEX disputes_open ON disputes(document_id) WHERE status = 'open';

        CREATE TABLE litigation_cases (
            id TEXT PRIMARY KEY NOT NULL,
            customer_id TEXT NOT NULL REFERENCES customers(id),
            partner_id TEXT NOT NULL,
            stage TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
            opened_on INTEGER NOT NULL,
            closed_on INTEGER,
            outcome TEXT CHECK (outcome IS NULL OR outcome IN ('recovered', 'partial', 'written_off', 'settled')),
            recovered_amount INTEGER,
            comment TEXT
        );
        CREATE UNIQUE INDEX litigation_cases_open ON litigation_cases(customer_id) WHERE status = 'open';

        CREATE TABLE litigation_invoices (
            case_id TEXT NOT NULL REFERENCES litigation_cases(id),
            document_id INTEGER NOT NULL REFERENCES documents(id),
            added_on INTEGER NOT NULL,
            PRIMARY KEY (case_id, document_id)
        );
        CREATE INDEX litigation_invoices_document ON litigation_invoices(document_id);

        CREATE TABLE litigation_stages (
            id INTEGER PRIMARY KEY,
            case_id TEXT NOT NULL REFERENCES litigation_cases(id),
            stage TEXT NOT NULL,
            date INTEGER NOT NULL,
            comment TEXT,
            reference TEXT,
            recorded_at TEXT NOT NULL,
            actor TEXT NOT NULL
        );
        CREATE INDEX litigation_stages_case ON litigation_stages(case_id, date);

        CREATE TABLE promises (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id),
            promised_on INTEGER NOT NULL,
            amount INTEGER,
            status TEXT NOT NULL CHECK (status IN ('open', 'kept', 'broken', 'cancelled')),
            created_on INTEGER NOT NULL,
            actor TEXT NOT NULL,
            comment TEXT
        );
        CREATE INDEX promises_document ON promises(document_id, status);

        CREATE TABLE payment_plans (
            id INTEGER PRIMARY KEY,
            customer_id TEXT NOT NULL REFERENCES customers(id),
            status TEXT NOT NULL CHECK (status IN ('active', 'completed', 'broken', 'cancelled')),
            currency TEXT NOT NULL,
            created_on INTEGER NOT NULL,
            actor TEXT NOT NULL,
            comment TEXT
        );
        CREATE INDEX payment_plans_customer ON payment_plans(customer_id, status);

        CREATE TABLE plan_instalments (
            plan_id INTEGER NOT NULL REFERENCES payment_plans(id),
            due_on INTEGER NOT NULL,
            amount INTEGER NOT NULL CHECK (amount > 0),
            PRIMARY KEY (plan_id, due_on)
        );

        CREATE TABLE plan_invoices (
            plan_id INTEGER NOT NULL REFERENCES payment_plans(id),
            document_id INTEGER NOT NULL REFERENCES documents(id),
            PRIMARY KEY (plan_id, document_id)
        );
        CREATE INDEX plan_invoices_document ON plan_invoices(document_id);

        CREATE TABLE payment_decisions (
            id INTEGER PRIMARY KEY,
            payment_id INTEGER NOT NULL REFERENCES payments(id),
            decision TEXT NOT NULL CHECK (decision IN ('refund', 'ignore', 'writeoff')),
            amount INTEGER,
            decided_on INTEGER NOT NULL,
            actor TEXT NOT NULL,
            comment TEXT,
            source_file_id INTEGER REFERENCES ingested_files(id)
        );
        CREATE INDEX payment_decisions_payment ON payment_decisions(payment_id);

        CREATE TABLE writeoffs (
            id INTEGER PRIMARY KEY,
            invoice_id INTEGER NOT NULL REFERENCES documents(id),
            payment_id INTEGER REFERENCES payments(id),
            amount INTEGER NOT NULL CHECK (amount > 0),
            currency TEXT NOT NULL,
            reason TEXT NOT NULL,
            actor TEXT NOT NULL,
            created_at TEXT NOT NULL,
            source_file_id INTEGER REFERENCES ingested_files(id)
        );
        CREATE INDEX writeoffs_invoice ON writeoffs(invoice_id);
        """
}
