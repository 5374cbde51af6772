"""A run: the per-document pipeline, the driver over many documents, its sinks and its manifest."""
