"""The repeating tick."""
