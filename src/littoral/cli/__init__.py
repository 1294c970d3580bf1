"""The ``littoral`` command line."""
