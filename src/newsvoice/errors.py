"""One exception hierarchy and one table of exit codes.

Library code raises only ``NewsvoiceError`` subclasses (wrapping third-party errors with
``raise ... from exc``); the CLI turns them into one ``error: ...`` line on stderr and the
exit code of the class. Anything else is a bug and exits with ``ExitStatus.INTERNAL``.
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """Process exit codes, documented in the README."""

    OK = 0
    INTERNAL = 1  # a bug; --debug shows the traceback
    USAGE = 2  # bad option, configuration or rules file
    INPUT = 3  # input rejected: too large, binary, undecodable, no article text, unsafe URL
    FETCH = 4  # fetch failed: DNS, connect, timeout, HTTP status, redirects, blocked address
    ENGINE = 5  # TTS engine unavailable or failed
    RENDER = 6  # an output failed its self-check or a validator
    PARTIAL = 7  # several sources or a batch: some failed, the others were done
    SITE = 8  # the published site is damaged (feed.xml does not parse) or failed its check
    INTERRUPTED = 130  # Ctrl-C; partial outputs removed


class NewsvoiceError(Exception):
    """Base class. ``str()`` is the one-line message; ``hint`` says what to do about it."""

    exit_code: ExitStatus = ExitStatus.INTERNAL

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}; {self.hint}" if self.hint else self.message


class ConfigError(NewsvoiceError):
    """A bad option, rules file or preset."""

    exit_code = ExitStatus.USAGE


class InputError(NewsvoiceError):
    """The input cannot become an article."""

    exit_code = ExitStatus.INPUT


class InputTooLarge(InputError):
    pass


class NotHTML(InputError):
    """Binary data, or a media type that is not HTML or text."""


class DecodeError(InputError):
    pass


class TooComplex(InputError):
    """The document nests too deeply or has too many elements."""


class NoContentFound(InputError):
    """Nothing that looks like article text."""


class UnsafeURL(InputError):
    """A URL newsvoice will not fetch: bad scheme, credentials, absurd length."""


class FetchError(NewsvoiceError):
    """Fetching a URL failed."""

    exit_code = ExitStatus.FETCH


class BlockedAddress(FetchError):
    """The host resolves to a loopback, private, link-local or multicast address."""


class FetchTimeout(FetchError):
    pass


class TooManyRedirects(FetchError):
    pass


class HTTPStatusError(FetchError):
    pass


class EngineError(NewsvoiceError):
    exit_code = ExitStatus.ENGINE


class EngineUnavailable(EngineError):
    """The engine or voice cannot run here (not installed, needs the network, unknown voice);
    raised before any work is done."""


class SegmentFailed(EngineError):
    """The engine failed on one piece of text (after retries)."""


class RenderError(NewsvoiceError):
    exit_code = ExitStatus.RENDER


class SiteError(NewsvoiceError):
    """A published site that newsvoice must not touch, or that failed ``feed check``."""

    exit_code = ExitStatus.SITE


class FeedCorrupt(SiteError):
    """An existing feed.xml does not parse; it is never overwritten."""


def reason(exc: OSError) -> str:
    """What an operating-system error says, without its errno prefix: "No space left on
    device" rather than "[Errno 28] No space left on device: 'x'"."""
    return exc.strerror or str(exc)


def one_line(exc: BaseException) -> str:
    """A third-party exception as one line: its type and the first line of its message."""
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
