"""littoral.watch."""
