"""The dondoc command."""
