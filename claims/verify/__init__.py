"""Verification: a proposed quote must be in the source (normalisation, the quote index, field support)."""
