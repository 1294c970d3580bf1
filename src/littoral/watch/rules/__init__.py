"""The watch rules, one module each."""
