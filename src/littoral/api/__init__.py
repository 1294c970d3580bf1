"""littoral.api."""
