"""Models of this app: written by the helper that owns it."""
