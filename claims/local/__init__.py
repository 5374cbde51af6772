"""Serving a real LLM on this machine, with no key and no network: llama.cpp's OpenAI-compatible
server (`llama-cpp-python[server]`) and small GGUF models installed from PyPI as data packages.

`models` knows which models there are and assembles and checks their files; `server` starts and
stops the server process. Neither knows about claims: the `local` backend puts them in front of
the ordinary `openai` backend, so a local model is reached through the same code path as any
other OpenAI-compatible server.
"""
