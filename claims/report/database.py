"""Reading a claims database for the review page: its events and, when the page is made from the
database alone, its documents (the stored text every span indexes), verified and rejected claims.

A path that does not exist is refused rather than created (a report never makes an empty
database). Messages name the database as `claims.db` shows it: a server URL without its password.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

import claims.db
from claims.db.engine import DatabaseError, is_server_url, redact, scrub
from claims.db.queries import StoredDocument
from claims.events.summary import EventSummary
from claims.inputs.documents import Document
from claims.inputs.origin import Origin, safe_url
from claims.schema import RejectedClaim, VerifiedClaim
from claims.validation import first_error

FIX = "give --db the file (or postgresql:// URL) that `claims extract --db` or `claims db add` wrote"


class ReportDatabaseError(ValueError):
    """A database the report cannot read; one line, naming the database (never its password)."""


@dataclass
class DatabaseContent:
    """What a report takes from a database; the lists are empty when only the events were read."""

    events: list[EventSummary]
    documents: list[Document] = field(default_factory=list)
    claims: list[VerifiedClaim] = field(default_factory=list)
    rejected: list[RejectedClaim] = field(default_factory=list)


def stored_document(stored: StoredDocument) -> Document:
    """A stored document with the origin the database kept (title, URL, site, path, encoding,
    extractor); a stored source that is an http(s) URL stands in for a missing URL."""
    fields = {
        "title": stored.title,
        "url": stored.url or safe_url(stored.source),
        "site": stored.site,
        "path": stored.path,
        "encoding": stored.encoding,
        "extractor": stored.extractor,
    }
    return Document(
        id=stored.doc_id,
        text=stored.text,
        published=stored.published,
        language=stored.language,
        source=stored.source,
        origin=Origin(**fields) if any(fields.values()) else None,
    )


def read_database(target: str, *, everything: bool) -> DatabaseContent:
    """The events of the database at `target` and, with `everything`, its documents and claims."""
    name = redact(target)
    if not is_server_url(target) and not Path(target).exists():
        raise ReportDatabaseError(f"{name}: no such database file; {FIX}")
    try:
        with claims.db.open(target) as db:
            content = DatabaseContent(events=list(db.iter_events()))
            if everything:
                content.documents = [stored_document(stored) for stored in db.iter_documents()]
                content.claims = list(db.iter_claims())
                content.rejected = list(db.iter_rejected())
            return content
    except DatabaseError as error:
        raise ReportDatabaseError(f"{error}; {FIX}") from None
    except ValidationError as error:
        raise ReportDatabaseError(
            f"{name}: a stored record is not valid ({first_error(error)}); the database was changed by "
            "hand or by another program: rebuild it with `claims db add`"
        ) from None
    except SQLAlchemyError as error:
        detail = getattr(error, "orig", None) or error
        raise ReportDatabaseError(
            scrub(f"{name}: cannot read the database ({type(detail).__name__}: {detail}); {FIX}", target)
        ) from None
