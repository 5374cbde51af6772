"""Test doubles. Everything here is a FAKE with scripted behaviour, never a model."""
