"""Prompt templates and few-shot examples, shipped in the wheel as the package `claims.prompts`.

The files here are reviewed like code: changing any of them changes the prompt hash, which is
part of every cache key and run manifest. Templates are rendered by `claims.prompting` with a
sandboxed Jinja environment; the article only ever enters as a variable's value.
"""
