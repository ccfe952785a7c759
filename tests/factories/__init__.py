"""Factories shared by the test packages (one module per area: ``forms`` for the form engine)."""
