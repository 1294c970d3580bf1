"""littoral.exercise."""
