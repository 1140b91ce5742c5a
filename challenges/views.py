"""Public challenge pages (filled in below)."""
