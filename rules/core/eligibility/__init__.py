"""Eligibility: one module per kind of condition; ``conditions`` evaluates them all."""
