"""FAQ (placeholder)."""
