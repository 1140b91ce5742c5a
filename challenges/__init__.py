"""Rounds, challenge pages, clarification Q&A and alerts (issue #3)."""
