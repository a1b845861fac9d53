"""Trained models shipped with textmine (weights as NPZ/JSON, never pickle)."""
