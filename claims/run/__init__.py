"""A run: options, one document's pipeline (`document`), the one driver over many documents
(`driver`) and what runs them (`engine`), the sinks results go to, resuming, and the manifest."""
