"""littoral.drift."""
