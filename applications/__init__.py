"""Applications, evaluation and decisions (issue #4)."""
