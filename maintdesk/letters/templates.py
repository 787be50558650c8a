"""The letter templates: a sandboxed Jinja2 environment and rendering of one notice.

Templates live in `letter_templates/` (built-in) and in the user's data folder (same relative
name overrides the built-in). A kind template such as `fr/reminder.html.j2` extends the layout
given in `layout` and fills the blocks `subject` and `body`; the same template gives the letter,
the email's HTML and, through maintdesk.letters.htmltext, the email's plain text. Every variable a template
may use is listed in letter_templates/README.md and built in maintdesk.letters.context.
"""

from __future__ import annotations

import html
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from maintdesk.errors import InvalidInput
from maintdesk.i18n import plural
from maintdesk.letters.htmltext import html_to_text
from maintdesk.letters.typography import typeset_html, typeset_text

LETTER_LAYOUT = "layout/letter.html.j2"
EMAIL_LAYOUT = "layout/email.html.j2"
SUBJECT_LAYOUT = "layout/subject.txt.j2"


RENDER_LIMIT = 5.0  # seconds one template may take to render; a letter takes milliseconds


class TemplateTooSlow(Exception):
    """Raised inside a render that ran past its deadline (a loop that does not end, in effect)."""


class TimedSandbox(ImmutableSandboxedEnvironment):
    """The sandbox with a deadline: every call, attribute and item a template uses checks the
    clock, so a runaway loop stops instead of hanging the program. The deadline is per thread."""

    def __init__(self, **options: Any):
        super().__init__(**options)
        self.deadlines = threading.local()

    def _check_time(self) -> None:
        deadline = getattr(self.deadlines, "at", None)
        if deadline is not None and time.monotonic() > deadline:
            raise TemplateTooSlow()

    def call(self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        self._check_time()
        return super().call(__context, __obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        self._check_time()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        self._check_time()
        return super().getitem(obj, argument)


class TemplateError(InvalidInput):
    """A template cannot be used: the summary names the template, the line and the problem."""

    def __init__(self, template: str, line: int | None, message: str):
        where = f"{template}, line {line}" if line else template
        super().__init__(f"template {where}: {message}")
        self.template = template
        self.line = line
        self.message = message


@dataclass(frozen=True)
class RenderedNotice:
    subject: str
    letter_html: str
    email_html: str
    email_text: str


def template_name(kind: str, language: str, scope: str) -> str:
    """The kind template for a notice; an initial notice has a per-unit and a building-wide form."""
    if kind == "initial":
        kind = "initial-building" if scope == "building" else "initial-unit"
    return f"{language}/{kind}.html.j2"


_shared_lock = threading.Lock()
_shared: dict[tuple, LetterTemplates] = {}
SHARED_KEPT = 4


def shared_templates(builtin_dir: Path, user_dir: Path | None = None) -> LetterTemplates:
    """One environment per template folders, kept, so that its compiled templates are too (a
    notice's templates compile in ~0.1 s, render in ~5 ms). Jinja reloads a template whose file
    changed; a file added to or removed from the user's folder gives a new environment."""
    key = (str(builtin_dir), str(user_dir), _listing(user_dir))
    with _shared_lock:
        found = _shared.get(key)
        if found is None:
            if len(_shared) >= SHARED_KEPT:
                _shared.pop(next(iter(_shared)))
            found = _shared[key] = LetterTemplates(builtin_dir, user_dir)
        return found


def _listing(folder: Path | None) -> tuple[str, ...]:
    if folder is None or not Path(folder).is_dir():
        return ()
    return tuple(sorted(str(p.relative_to(folder)) for p in Path(folder).rglob("*") if p.is_file()))


class LetterTemplates:
    def __init__(self, builtin_dir: Path, user_dir: Path | None = None, drafts: dict[str, str] | None = None):
        """`drafts`: template texts being edited, by name; they win over both folders (previews)."""
        self.builtin_dir = Path(builtin_dir)
        self.user_dir = Path(user_dir) if user_dir else None
        search = [str(self.user_dir)] if self.user_dir and self.user_dir.is_dir() else []
        search.append(str(self.builtin_dir))
        loader: jinja2.BaseLoader = jinja2.FileSystemLoader(search)
        if drafts:
            loader = jinja2.ChoiceLoader([jinja2.DictLoader(dict(drafts)), loader])
        self.env = TimedSandbox(
            loader=loader,
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        self.env.globals["plural"] = plural  # plural(lang, n, "{n} error", "{n} errors"): maintdesk.i18n
        self.env.filters["lines"] = _lines
        self.env.filters["upper_first"] = _upper_first
        self.env.filters["sentence"] = _sentence

    def compile_all(self) -> None:
        """Compile every notice template now (each is then rendered without compiling)."""
        for name in self.env.list_templates(filter_func=lambda n: n.endswith(".j2")):
            try:
                self.env.get_template(name)
            except jinja2.TemplateError:
                pass  # told when a notice uses it, with the line

    def source(self, name: str) -> str:
        """The text of a template as MaintDesk would use it (the user's copy, else the built-in)."""
        for root in (self.user_dir, self.builtin_dir):
            if root and (root / name).is_file():
                return (root / name).read_text(encoding="utf-8")
        raise TemplateError(name, None, "there is no such template")

    def origin(self, name: str) -> str:
        """'user' when the user's folder overrides this template, else 'built-in'."""
        if self.user_dir and (self.user_dir / name).is_file():
            return "user"
        return "built-in"

    def render(self, name: str, context: dict[str, Any]) -> RenderedNotice:
        """Subject, letter, email (HTML and text) with the typography of the context's `lang`."""
        language = str(context.get("lang", ""))
        subject = re.sub(r"[ \t\r\n]+", " ", html.unescape(self._render(name, context, SUBJECT_LAYOUT))).strip()
        if not subject:
            raise TemplateError(name, None, "the subject block is empty; every notice needs a subject")
        email_html = self._render(name, context, EMAIL_LAYOUT)
        return RenderedNotice(
            subject=typeset_text(subject, language),
            letter_html=typeset_html(self._render(name, context, LETTER_LAYOUT), language),
            email_html=typeset_html(email_html, language),
            email_text=typeset_text(html_to_text(email_html), language),
        )

    def render_page(self, name: str, context: dict[str, Any]) -> str:
        """A stand-alone template (e.g. the crew sheet) with the typography of the context's `lang`."""
        return typeset_html(self._render(name, context, None), str(context.get("lang", "")))

    def _render(self, name: str, context: dict[str, Any], layout: str | None) -> str:
        self.env.deadlines.at = time.monotonic() + RENDER_LIMIT
        try:
            template = self.env.get_template(name)
            values = dict(context, layout=layout) if layout else context
            return template.render(values)
        except TemplateTooSlow as exc:
            where, line = _template_frame(exc.__traceback__, name, self)
            raise TemplateError(where, line, f"took longer than {RENDER_LIMIT:g} s to fill in ({self.origin(where)} "
                                "template; a loop that does not end?); simplify it") from None
        except RecursionError as exc:
            where, line = _template_frame(exc.__traceback__, name, self)
            raise TemplateError(where, line, "calls itself without end (a macro that calls itself?)") from None
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(_relative(exc.filename, exc.name or name, self), exc.lineno, exc.message or str(exc)) from None
        except jinja2.TemplateNotFound as exc:
            raise TemplateError(name, None, f'there is no template "{exc.name}"') from None
        except jinja2.UndefinedError as exc:
            where, line = _template_frame(exc.__traceback__, name, self)
            raise TemplateError(where, line, f"{exc.message}; see letter_templates/README.md for the variables") from None
        except SecurityError as exc:
            where, line = _template_frame(exc.__traceback__, name, self)
            raise TemplateError(where, line, f"not allowed in a template: {exc}") from None
        except (TypeError, ValueError, ArithmeticError, OverflowError, LookupError) as exc:
            where, line = _template_frame(exc.__traceback__, name, self)
            raise TemplateError(where, line, f"{type(exc).__name__}: {exc}") from None
        finally:
            self.env.deadlines.at = None


def _lines(value: str) -> list[str]:
    """Split a multi-line text into its non-empty lines (addresses, notes)."""
    return [line.strip() for line in str(value).splitlines() if line.strip()]


def _upper_first(value: str) -> str:
    """'mardi 1 décembre' → 'Mardi 1 décembre', leaving the rest as written (unlike `capitalize`)."""
    text = str(value)
    return text[:1].upper() + text[1:]


def _sentence(value: str) -> str:
    """Ends the text with a full stop unless it already ends a sentence ('Ltd.' stays 'Ltd.')."""
    text = str(value).rstrip()
    return text if not text or text[-1] in ".!?…" else text + "."


def _relative(filename: str | None, fallback: str, templates: LetterTemplates) -> str:
    if not filename:
        return fallback
    path = Path(filename)
    for root in (templates.user_dir, templates.builtin_dir):
        if root and path.is_relative_to(root):
            return str(path.relative_to(root))
    return fallback


def _template_frame(tb: TracebackType | None, fallback: str, templates: LetterTemplates) -> tuple[str, int | None]:
    """The innermost template file and line of an error raised while rendering."""
    where, line = fallback, None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or filename == "<template>":
            where, line = _relative(filename, fallback, templates), tb.tb_lineno
        tb = tb.tb_next
    return where, line
