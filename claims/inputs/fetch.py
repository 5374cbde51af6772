"""Fetching web pages over HTTP(S) with httpx: timeouts, redirects, a size cap, a polite client.

Pages are fetched by a few threads (`concurrency`) sharing one `httpx.Client`, at most one request
per host every `per_host_delay` seconds, and handed back in the order the URLs were given. Every
failure (HTTP status, timeout, too many redirects, a body over `max_bytes`, no connection) is a
`FetchFailed` with a one-line message that never holds the URL's credentials or query.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from claims._version import __version__
from claims.urls import public_url

if TYPE_CHECKING:  # httpx (and the rich it pulls in) costs ~0.2 s: imported only when a URL is fetched
    import httpx

DEFAULT_USER_AGENT = f"claims/{__version__} (claim extraction for news research; one page per request)"
ACCEPT = "text/html,application/xhtml+xml,application/pdf;q=0.9,text/plain;q=0.8,*/*;q=0.1"


@dataclass(frozen=True)
class FetchOptions:
    """How pages are fetched (the CLI's --fetch-* flags)."""

    timeout: float = 30.0
    """Seconds to connect, and to wait for each part of the answer; also the whole download's limit."""
    max_bytes: int = 20_000_000
    """Largest body accepted (after decompression); a larger one is an error, not truncated text."""
    max_redirects: int = 5
    concurrency: int = 4
    """Pages fetched at once (over all hosts)."""
    per_host_delay: float = 1.0
    """Seconds between the starts of two requests to the same host."""
    user_agent: str = DEFAULT_USER_AGENT

    def __post_init__(self) -> None:
        if self.timeout <= 0 or self.max_bytes < 1 or self.max_redirects < 0:
            raise ValueError(
                "fetch timeout and size cap must be positive (--fetch-timeout, --fetch-max-bytes)"
            )
        if self.concurrency < 1 or self.per_host_delay < 0:
            raise ValueError("fetch concurrency must be at least 1 and the per-host delay not negative")


@dataclass(frozen=True)
class Fetched:
    """A page that arrived: where it ended up, its media type and charset, its bytes."""

    url: str
    final_url: str
    media_type: str
    charset: str | None
    body: bytes


class FetchFailed(Exception):
    """A page that could not be fetched; the message is safe to show (no credentials, no query)."""


def is_url(value: str) -> bool:
    """Whether an input names a web page rather than a file."""
    return value.lower().startswith(("http://", "https://"))


class _HostPacer:
    """At most one request start per host every `delay` seconds, across threads."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}

    def wait(self, url: str) -> None:
        if self.delay <= 0:
            return
        host = (urlsplit(url).hostname or "").lower()
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + self.delay
        if start > now:
            time.sleep(start - now)


def _content_type(value: str) -> tuple[str, str | None]:
    media, _, rest = value.partition(";")
    charset = None
    for part in rest.split(";"):
        name, _, raw = part.strip().partition("=")
        if name.lower() == "charset" and raw.strip(" \"'"):
            charset = raw.strip(" \"'")
    return media.strip().lower(), charset


def _read(client: httpx.Client, url: str, options: FetchOptions) -> Fetched:
    deadline = time.monotonic() + options.timeout
    with client.stream("GET", url) as response:
        if response.status_code >= 400:
            raise FetchFailed(f"HTTP {response.status_code} {response.reason_phrase}".strip())
        if response.status_code >= 300:
            raise FetchFailed(f"HTTP {response.status_code} redirect without a usable Location")
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) > options.max_bytes:
            raise FetchFailed(f"the page is {int(length):,} bytes, over the cap of {options.max_bytes:,}")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > options.max_bytes:
                raise FetchFailed(f"the page is over the cap of {options.max_bytes:,} bytes")
            if time.monotonic() > deadline:
                raise FetchFailed(f"timed out after {options.timeout:g} s (the download was too slow)")
            chunks.append(chunk)
        media, charset = _content_type(response.headers.get("content-type", ""))
        return Fetched(url, str(response.url), media, charset, b"".join(chunks))


def fetch_page(client: httpx.Client, url: str, options: FetchOptions) -> Fetched:
    """One page, or FetchFailed with a message that is safe to show."""
    import httpx

    try:
        return _read(client, url, options)
    except httpx.TimeoutException:
        raise FetchFailed(
            f"timed out after {options.timeout:g} s; try again later or raise --fetch-timeout"
        ) from None
    except httpx.TooManyRedirects:
        raise FetchFailed(f"more than {options.max_redirects} redirects") from None
    except httpx.UnsupportedProtocol:
        raise FetchFailed("redirected to a URL that is not http(s)") from None
    except httpx.ConnectError:
        raise FetchFailed("cannot connect to the server (is the host name right? are you online?)") from None
    except httpx.HTTPError as error:
        raise FetchFailed(f"the download failed ({type(error).__name__})") from None


def open_client(options: FetchOptions) -> httpx.Client:
    """The one client all fetches of a run share (connection pool sized to the concurrency)."""
    import httpx

    return httpx.Client(
        timeout=httpx.Timeout(options.timeout),
        follow_redirects=True,
        max_redirects=options.max_redirects,
        headers={"User-Agent": options.user_agent, "Accept": ACCEPT},
        limits=httpx.Limits(
            max_connections=options.concurrency, max_keepalive_connections=options.concurrency
        ),
    )


def fetch_pages(urls: Iterable[str], options: FetchOptions) -> Iterator[tuple[str, Fetched | FetchFailed]]:
    """Fetch `urls` (`concurrency` at once, politely per host); yield `(url, page or failure)` in order.

    At most `concurrency` pages are fetched ahead of the consumer, so memory stays bounded.
    """
    pacer = _HostPacer(options.per_host_delay)
    client = open_client(options)
    pool = ThreadPoolExecutor(max_workers=options.concurrency, thread_name_prefix="claims-fetch")

    def job(url: str) -> Fetched | FetchFailed:
        pacer.wait(url)
        try:
            return fetch_page(client, url, options)
        except FetchFailed as failure:
            return failure

    window: deque[tuple[str, Future[Fetched | FetchFailed]]] = deque()
    pending = iter(urls)
    try:
        while True:
            while len(window) < options.concurrency:
                url = next(pending, None)
                if url is None:
                    break
                window.append((url, pool.submit(job, url)))
            if not window:
                return
            url, future = window.popleft()
            yield url, future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        client.close()


def shown_url(url: str) -> str:
    """The form of a URL that outputs and errors show (no credentials, query or fragment)."""
    return public_url(url)
