"""Inputs: files, folders, JSONL and standard input become `Document`s (or error records)."""
