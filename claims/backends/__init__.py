"""The extractors: the `Backend` protocol (`protocol`), the answer cache around any backend
(`cache`), the registry by name (`registry`), and the backends themselves: `rules` (offline),
`openai` (any OpenAI-compatible server) and `local` (llama.cpp on this machine). The core imports
only `protocol`."""
