"""The only way a letter reaches anything outside its own HTML: a sandboxed WeasyPrint URL fetcher.

Every resource WeasyPrint loads — `<img>`, `<link rel="stylesheet">`, CSS `@import`, `url()`,
`@font-face`, `<a rel="attachment">`, `<object>`, SVG `<use>`/`<image>` — goes through
`SandboxedFetcher.fetch`. It serves:

- `data:` URIs, and
- `file:` URLs whose *resolved* path (symlinks followed, `..` collapsed) is a regular file inside
  one of the resource roots (the template and asset folders), up to `MAX_RESOURCE_BYTES`.

Everything else (http/https/ftp, `file:///etc/passwd`, `../` escapes, symlinks pointing outside,
`<base href="file:///etc/">` tricks, `/dev/urandom`, folders) is refused without any network or
file access outside the roots. A refusal raises an ordinary exception, which WeasyPrint turns into
a missing resource and a logged warning; the letter itself still renders
(`fail_on_errors=False`). Refusals are also kept in `refused` so the caller can report them.

Imports WeasyPrint: only the worker processes of `maintdesk.letters.pdf` import this module.
"""

from __future__ import annotations

import logging
import mimetypes
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

log = logging.getLogger("maintdesk.letters.pdf")

MAX_RESOURCE_BYTES = 25 * 1024 * 1024


class ResourceRefused(ValueError):
    """A letter asked for something outside the sandbox."""


class SandboxedFetcher(URLFetcher):
    """Serve `data:` URIs and regular files under `roots`; refuse everything else.

    `css_filter` (optional) sees, and may rewrite, the text of every stylesheet served (the PDF
    engine uses it to notice CSS that a shared layout of several letters would get wrong).
    """

    def __init__(self, roots: Sequence[Path], *, css_filter: Callable[[str], str] | None = None):
        # No redirects, no protocol but data/file even if a future WeasyPrint calls the parent's
        # fetch for something: the parent class's own guards stay on as a second line.
        super().__init__(timeout=5, allowed_protocols={"data", "file"}, allow_redirects=False,
                         fail_on_errors=False)
        self.roots = tuple(Path(root).resolve() for root in roots)
        self.css_filter = css_filter
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = self.allowed_path(url)
            if path is not None:
                return self._file_response(path)
            raise self._refused(url, "outside the template and asset folders")
        raise self._refused(url, "only files from the template and asset folders may be used")

    def allowed_path(self, url: str) -> Path | None:
        """The resolved path a `file:` URL names, if it is a regular file under a root."""
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return None
        try:
            path = Path(url2pathname(unquote(parts.path))).resolve(strict=True)
        except (OSError, RuntimeError, ValueError):  # missing, symlink loop, NUL byte…
            return None
        if not any(path.is_relative_to(root) for root in self.roots):
            return None
        if not path.is_file():  # folders, devices (/dev/urandom), FIFOs
            return None
        return path

    def _file_response(self, path: Path) -> URLFetcherResponse:
        # Open the resolved path (not the URL) and check the size on the open file, so a
        # symlink swapped between the check and the read cannot lead outside.
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_RESOURCE_BYTES:
                raise self._refused(path.as_uri(), f"larger than {MAX_RESOURCE_BYTES // (1024 * 1024)} MiB")
            body = handle.read()
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if mime_type == "text/css" and self.css_filter is not None:
            body = self.css_filter(body.decode("utf-8", errors="replace")).encode("utf-8")
        return URLFetcherResponse(path.as_uri(), body, {"Content-Type": mime_type})

    def _refused(self, url: str, reason: str) -> ResourceRefused:
        shown = url if len(url) <= 200 else url[:200] + "…"
        self.refused.append(shown)
        log.warning("letter resource refused: %s (%s)", shown, reason)
        return ResourceRefused(f"refused {shown}: {reason}")
