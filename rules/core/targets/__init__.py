"""Year-3 targets: ``objectives`` picks the indicators and the regime's computation."""
