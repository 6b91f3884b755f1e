"""Pure business rules: no Flask, no database, fast to test."""
