"""Raw-file ingest internals: reading files (readers) and idempotent keyed writes (writer)."""
