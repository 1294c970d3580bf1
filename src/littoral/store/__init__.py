"""littoral.store."""
