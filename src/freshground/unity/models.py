"""Models of the unity app: written by the helper that owns it."""
