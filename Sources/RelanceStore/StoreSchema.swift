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
}
