"""littoral.ais."""
