"""littoral.search."""
