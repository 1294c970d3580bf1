"""littoral.tracks."""
