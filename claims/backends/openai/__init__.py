"""The `openai` backend: any OpenAI-compatible chat-completions server through `openai` + `instructor`."""
