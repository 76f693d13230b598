"""Every change of workshop state goes through a function here (ARCHITECTURE.md)."""
