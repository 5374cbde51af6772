"""Concrete extractors behind the `claims.backend.Backend` protocol. The core never imports these."""
