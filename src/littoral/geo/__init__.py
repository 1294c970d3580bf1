"""littoral.geo."""
