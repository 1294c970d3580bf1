"""littoral.web."""
