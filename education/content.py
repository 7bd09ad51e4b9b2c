"""Education content: tips, learn pages and red-flag guidance.

The words live in files under ``education/content/``:

* ``tips/T01.md`` ... : one tip each (docs/clinical-safety.md, section 5).
* ``learn/<slug>.md``: short reading pages.
* ``red_flags.toml``: emergency, same-day and next-visit guidance (section 4).

Markdown files start with a small header between two ``---`` lines, one
``key: value`` per line; lists are comma-separated. Everything is checked when
it is first loaded (the results are cached), and any problem raises
:class:`ContentError` naming the file, so a bad edit stops the app at start-up
(``validate_all()`` is meant for ``AppConfig.ready()``).

The content is ours and trusted, but raw HTML is still refused by the checks
and escaped by the renderer. No file may contain a dose amount: the app never
gives dosing advice.

This module does not need Django settings to import or to load content.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import markdown
from django.core.exceptions import ImproperlyConfigured
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from .sources import SOURCE_TABLE

CONTENT_DIR = Path(__file__).resolve().parent / "content"
TIPS_DIR = CONTENT_DIR / "tips"
LEARN_DIR = CONTENT_DIR / "learn"
RED_FLAGS_FILE = CONTENT_DIR / "red_flags.toml"

#: The tips of docs/clinical-safety.md, section 5 that must always exist.
REQUIRED_TIP_IDS: tuple[str, ...] = tuple(f"T{n}" for n in range(1, 31))

#: Learn pages other code links to: the medicine prompt needs "medicines-to-check".
REQUIRED_LEARN_SLUGS: tuple[str, ...] = (
    "amifampridine-safety",
    "medicines-to-check",
    "operations-and-procedures",
    "cancer-link",
    "when-to-get-help",
)

#: Shown under every list of tips (docs/clinical-safety.md, section 5).
TIP_FOOTER = _(
    "These tips are general and may not suit everyone. Before you try new equipment "
    "or a new exercise, check with a physiotherapist or an occupational therapist."
)

#: Shown on every learn page and tip page (docs/clinical-safety.md).
DISCLAIMER = _(
    "This is general information. It does not replace advice from your own doctor or "
    "care team. This app keeps a record for you and helps you share it. It does not "
    "diagnose, treat or suggest doses."
)

#: Topic key -> label, in display order.
TOPICS: dict[str, str] = {
    "pacing": _("Pacing"),
    "planning": _("Planning your day"),
    "position": _("Position and equipment"),
    "heat": _("Heat"),
    "dry-mouth": _("Dry mouth"),
    "eating": _("Eating and swallowing"),
    "standing": _("Dizziness when standing"),
    "bowels": _("Bowels"),
    "falls": _("Falls and home safety"),
    "medicines": _("Medicines and operations"),
    "infection": _("Infections"),
    "sleep": _("Sleep and stress"),
    "breathing": _("Breathing"),
    "emergency": _("Ready for an emergency"),
}

#: Signal tags a tip may carry: what in the diary makes the tip relevant.
TAGS: dict[str, str] = {
    "high_fatigue": "fatigue 7 or more out of 10 on several recent diary days",
    "unplanned_rest": "several rests that were not planned",
    "good_day": "a good day (risk of overdoing it)",
    "general": "suitable as a gentle default when no pattern stands out",
    "worst_time": "the same time of day is worst on most days, or one hour of quick checks stands out",
    "dose_timing": "strength changes with time since a dose",
    "leg_weakness": "hips or thighs needed extra effort or help",
    "chair_rise": "trouble rising from a chair",
    "stairs": "trouble on stairs",
    "arm_weakness": "shoulders or arms needed extra effort or help",
    "reaching": "trouble reaching or dressing",
    "bathing": "trouble washing or bathing",
    "facilitation": "strength briefly improves after a few repetitions",
    "heat": "hot weather, a hot room or a hot bath on several recent days",
    "dry_mouth": "dry mouth",
    "chewing": "trouble chewing",
    "swallowing": "trouble swallowing",
    "dizziness": "dizziness on standing",
    "constipation": "no bowel movement or straining",
    "falls": "a fall or near-fall",
    "new_medicine": "a new medicine",
    "surgery": "an operation, procedure or anaesthetic",
    "infection": "an infection or fever",
    "poor_sleep": "poor sleep",
    "breathing": "signs of weak breathing at night",
    "always": "useful to everyone, whatever the diary shows",
}

#: Every source key of docs/clinical-safety.md, section 5 -> all of its addresses (titles in SOURCE_TABLE).
SOURCE_URLS: dict[str, tuple[str, ...]] = {key: source.urls for key, source in SOURCE_TABLE.items()}

#: Source key -> its title, as people see it (never the bare key).
SOURCES: dict[str, str] = {key: source.title for key, source in SOURCE_TABLE.items()}


def source_url(key: str) -> str | None:
    """The address a patient may follow for a source, or None (not opened, paywalled or a seed document)."""
    source = SOURCE_TABLE.get(key)
    return source.link if source else None


@dataclass(frozen=True)
class ShownSource:
    """A source as a person sees it: its title, linked only when it is free to read and was opened."""

    key: str
    title: str
    url: str | None


def shown_sources(keys: Iterable[str]) -> tuple[ShownSource, ...]:
    """The sources of a tip or page that patients may see, in the order given (see education.sources)."""
    return tuple(
        ShownSource(key=key, title=SOURCE_TABLE[key].shown_title, url=SOURCE_TABLE[key].link)
        for key in keys
        if key in SOURCE_TABLE and SOURCE_TABLE[key].shown_to_patients
    )


class ContentError(ImproperlyConfigured):
    """A content file is missing something or holds something it must not."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


@dataclass(frozen=True)
class Tip:
    id: str  # "T1"
    number: int  # 1
    title: str
    topic: str  # a key of TOPICS
    tags: tuple[str, ...]  # keys of TAGS
    sources: tuple[str, ...]  # keys of SOURCES
    reviewed: dt.date
    body: str  # Markdown as written
    html: SafeString  # the body rendered, raw HTML escaped
    path: Path

    @property
    def topic_label(self) -> str:
        return str(TOPICS[self.topic])

    @property
    def shown_sources(self) -> tuple[ShownSource, ...]:
        return shown_sources(self.sources)


@dataclass(frozen=True)
class LearnPage:
    slug: str
    title: str
    order: int
    summary: str  # optional header field; "" when absent
    sources: tuple[str, ...]
    reviewed: dt.date
    body: str
    html: SafeString
    path: Path

    @property
    def shown_sources(self) -> tuple[ShownSource, ...]:
        return shown_sources(self.sources)


@dataclass(frozen=True)
class RedFlagItem:
    key: str
    text: str
    sources: tuple[str, ...]
    #: For "discuss" items: the question the diary suggests for the next visit.
    question: str = ""


@dataclass(frozen=True)
class RedFlagLevel:
    level: str  # "emergency", "urgent" or "discuss"
    title: str
    message: str
    items: tuple[RedFlagItem, ...]
    sources: tuple[str, ...]
    #: The same guidance for a day that has gone by ("if this is still happening ...").
    past_title: str = ""
    past_message: str = ""

    def item(self, key: str) -> RedFlagItem | None:
        return next((i for i in self.items if i.key == key), None)


@dataclass(frozen=True)
class RedFlagGuidance:
    emergency: RedFlagLevel
    urgent: RedFlagLevel
    discuss: RedFlagLevel
    emergency_number: str  # the file's default; see emergency_number()
    not_monitored: str  # "nobody watches this diary" (docs/clinical-safety.md)
    sources: tuple[str, ...]
    reviewed: dt.date

    @property
    def levels(self) -> tuple[RedFlagLevel, ...]:
        """Most serious first."""
        return (self.emergency, self.urgent, self.discuss)


RED_FLAG_LEVELS: tuple[str, ...] = ("emergency", "urgent", "discuss")

# --- parsing helpers ---------------------------------------------------------

_TIP_FIELDS = {"id", "title", "topic", "tags", "sources", "reviewed"}
_LEARN_FIELDS = {"slug", "title", "order", "sources", "reviewed"}
_LEARN_OPTIONAL = {"summary"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIP_ID = re.compile(r"T([1-9][0-9]*)")
_ANY_TIP_ID = re.compile(r"[Tt]0*([1-9][0-9]*)")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# An HTML tag or comment. Autolinks such as <https://...> are not matched.
_RAW_HTML = re.compile(r"<!--|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^>]*)?/?>")
# Anything that reads like a dose amount. The app never gives dosing advice.
DOSE_PATTERN = re.compile(
    r"\d+(?:[.,]\d+)?\s*(?:mg|mcg|µg|ug|micrograms?|milligrams?|g/kg|mg/kg|units?/kg)\b",
    re.IGNORECASE,
)


def normalise_tip_id(value: object) -> str | None:
    """ "t01", "T01" or "T1" -> "T1"; None if it is not a tip id."""
    match = _ANY_TIP_ID.fullmatch(str(value).strip())
    return f"T{match.group(1)}" if match else None


def _split_front_matter(path: Path, text: str) -> tuple[dict[str, str], str]:
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise ContentError(path, "the file must start with a '---' line, then the header")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        raise ContentError(path, "the header is not closed with a '---' line")
    header: dict[str, str] = {}
    for number, line in enumerate(lines[1:end], start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if not sep or not key:
            raise ContentError(path, f"header line {number} should look like 'key: value'")
        if key in header:
            raise ContentError(path, f"header field '{key}' appears twice")
        header[key] = value.strip()
    return header, "\n".join(lines[end + 1 :]).strip()


def _check_fields(path: Path, header: Mapping[str, str], required: set[str], optional: set[str]) -> None:
    missing = sorted(f for f in required if not header.get(f))
    if missing:
        raise ContentError(path, f"missing header field(s): {', '.join(missing)}")
    unknown = sorted(set(header) - required - optional)
    if unknown:
        raise ContentError(path, f"unknown header field(s): {', '.join(unknown)}")


def _split_list(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _check_sources(path: Path, sources: Iterable[str]) -> tuple[str, ...]:
    keys = tuple(sources)
    if not keys:
        raise ContentError(path, "at least one source is needed")
    unknown = [k for k in keys if k not in SOURCES]
    if unknown:
        raise ContentError(
            path,
            f"unknown source key(s): {', '.join(unknown)} (use the keys of education/sources.py)",
        )
    if len(set(keys)) != len(keys):
        raise ContentError(path, "a source is listed twice")
    return keys


def _check_shown_sources(path: Path, keys: tuple[str, ...]) -> None:
    """A tip or page must name at least one source a patient can look up (docs/clinical-safety.md, section 5)."""
    if not shown_sources(keys):
        raise ContentError(
            path,
            "no source a patient may see: add one that is free to read (not only paywalled or seed sources)",
        )


def _parse_date(path: Path, value: object) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ContentError(path, f"'reviewed' must be a real date written like 2026-11-24, not {value!r}")


def _check_text(path: Path, text: str) -> None:
    """Refuse raw HTML and dose amounts in any text we show."""
    match = _RAW_HTML.search(text)
    if match:
        raise ContentError(path, f"raw HTML is not allowed: {match.group(0)!r}")
    match = DOSE_PATTERN.search(text)
    if match:
        raise ContentError(
            path,
            f"looks like a dose amount ({match.group(0)!r}); the app never gives dosing advice",
        )


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML with raw HTML escaped, never passed through."""
    md = markdown.Markdown(output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return mark_safe(md.convert(text))  # raw HTML was escaped above


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(path, f"cannot be read: {exc}") from exc


# --- loaders (uncached; take a directory so tests can use their own) ---------


def load_tip(path: Path) -> Tip:
    path = Path(path)
    header, body = _split_front_matter(path, _read(path))
    _check_fields(path, header, _TIP_FIELDS, set())
    match = _TIP_ID.fullmatch(header["id"])
    if not match:
        raise ContentError(path, f"id must look like T1, T2 ..., not {header['id']!r}")
    number = int(match.group(1))
    if normalise_tip_id(path.stem) != header["id"]:
        raise ContentError(
            path,
            f"id {header['id']} does not match the file name (expected T{number:02d}.md)",
        )
    topic = header["topic"]
    if topic not in TOPICS:
        raise ContentError(path, f"unknown topic {topic!r}; known topics: {', '.join(TOPICS)}")
    tags = _split_list(header["tags"])
    if not tags:
        raise ContentError(path, "at least one tag is needed")
    unknown = [t for t in tags if t not in TAGS]
    if unknown:
        raise ContentError(path, f"unknown tag(s): {', '.join(unknown)}")
    sources = _check_sources(path, _split_list(header["sources"]))
    _check_shown_sources(path, sources)
    reviewed = _parse_date(path, header["reviewed"])
    if not body:
        raise ContentError(path, "the tip has no text")
    _check_text(path, header["title"] + "\n" + body)
    return Tip(
        id=header["id"],
        number=number,
        title=header["title"],
        topic=topic,
        tags=tags,
        sources=sources,
        reviewed=reviewed,
        body=body,
        html=render_markdown(body),
        path=path,
    )


def load_tips(directory: Path) -> tuple[Tip, ...]:
    """Every ``*.md`` tip in ``directory``, in number order."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ContentError(directory, "the tips folder is missing")
    tips: dict[str, Tip] = {}
    for path in sorted(directory.glob("*.md")):
        item = load_tip(path)
        if item.id in tips:
            raise ContentError(path, f"duplicate id {item.id} (also in {tips[item.id].path.name})")
        tips[item.id] = item
    return tuple(sorted(tips.values(), key=lambda t: t.number))


def load_learn_page(path: Path) -> LearnPage:
    path = Path(path)
    header, body = _split_front_matter(path, _read(path))
    _check_fields(path, header, _LEARN_FIELDS, _LEARN_OPTIONAL)
    slug = header["slug"]
    if not _SLUG.fullmatch(slug) or slug != path.stem:
        raise ContentError(
            path,
            f"slug {slug!r} must be lower-case words joined by '-' and match the file name",
        )
    try:
        order = int(header["order"])
    except ValueError as exc:
        raise ContentError(path, f"order must be a whole number, not {header['order']!r}") from exc
    sources = _check_sources(path, _split_list(header["sources"]))
    _check_shown_sources(path, sources)
    reviewed = _parse_date(path, header["reviewed"])
    if not body:
        raise ContentError(path, "the page has no text")
    _check_text(path, "\n".join([header["title"], header.get("summary", ""), body]))
    return LearnPage(
        slug=slug,
        title=header["title"],
        order=order,
        summary=header.get("summary", ""),
        sources=sources,
        reviewed=reviewed,
        body=body,
        html=render_markdown(body),
        path=path,
    )


def load_learn_pages(directory: Path) -> tuple[LearnPage, ...]:
    directory = Path(directory)
    if not directory.is_dir():
        raise ContentError(directory, "the learn folder is missing")
    pages: dict[str, LearnPage] = {}
    for path in sorted(directory.glob("*.md")):
        page = load_learn_page(path)
        if page.slug in pages:  # pragma: no cover - slug must match the file name
            raise ContentError(path, f"duplicate slug {page.slug}")
        pages[page.slug] = page
    return tuple(sorted(pages.values(), key=lambda p: (p.order, p.slug)))


def _toml_str(path: Path, table: Mapping[str, object], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ContentError(path, f"{where}: '{key}' must be some text")
    _check_text(path, value)
    return value.strip()


def _toml_sources(path: Path, table: Mapping[str, object], where: str) -> tuple[str, ...]:
    value = table.get("sources")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ContentError(path, f"{where}: 'sources' must be a list of source keys")
    try:
        return _check_sources(path, value)
    except ContentError as exc:
        raise ContentError(path, f"{where}: {exc.problem}") from None


def load_red_flags(path: Path) -> RedFlagGuidance:
    path = Path(path)
    try:
        data = tomllib.loads(_read(path))
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(path, f"is not valid TOML: {exc}") from exc
    levels: dict[str, RedFlagLevel] = {}
    for level in RED_FLAG_LEVELS:
        table = data.get(level)
        if not isinstance(table, dict):
            raise ContentError(path, f"the [{level}] section is missing")
        raw_items = table.get("items")
        if not isinstance(raw_items, list) or not raw_items:
            raise ContentError(path, f"[{level}] needs at least one [[{level}.items]] entry")
        items: list[RedFlagItem] = []
        for n, raw in enumerate(raw_items, start=1):
            where = f"[[{level}.items]] number {n}"
            key = _toml_str(path, raw, "key", where)
            if any(i.key == key for lvl in levels.values() for i in lvl.items) or any(i.key == key for i in items):
                raise ContentError(path, f"{where}: duplicate key {key!r}")
            items.append(
                RedFlagItem(
                    key=key,
                    text=_toml_str(path, raw, "text", where),
                    sources=_toml_sources(path, raw, where),
                    question=_toml_str(path, raw, "question", where) if level == "discuss" else "",
                )
            )
        levels[level] = RedFlagLevel(
            level=level,
            title=_toml_str(path, table, "title", f"[{level}]"),
            message=_toml_str(path, table, "message", f"[{level}]"),
            items=tuple(items),
            sources=_toml_sources(path, table, f"[{level}]"),
            past_title=_toml_str(path, table, "past_title", f"[{level}]"),
            past_message=_toml_str(path, table, "past_message", f"[{level}]"),
        )
    number = data.get("emergency_number")
    if not isinstance(number, str) or not re.fullmatch(r"[0-9]{2,4}", number):
        raise ContentError(
            path,
            "'emergency_number' must be a short phone number in quotes, such as \"112\"",
        )
    return RedFlagGuidance(
        emergency=levels["emergency"],
        urgent=levels["urgent"],
        discuss=levels["discuss"],
        emergency_number=number,
        not_monitored=_toml_str(path, data, "not_monitored", "top level"),
        sources=_toml_sources(path, data, "top level"),
        reviewed=_parse_date(path, data.get("reviewed")),
    )


# --- cached public API ------------------------------------------------------


@functools.cache
def all_tips() -> tuple[Tip, ...]:
    """Every tip, in number order (T1, T2, ... T30)."""
    return load_tips(TIPS_DIR)


@functools.cache
def _tips_by_id() -> dict[str, Tip]:
    return {t.id: t for t in all_tips()}


def tip(tip_id: str) -> Tip | None:
    """One tip by id ("T1"; "t01" also works), or None if there is none."""
    key = normalise_tip_id(tip_id)
    return _tips_by_id().get(key) if key else None


def tips_by_topic() -> dict[str, tuple[Tip, ...]]:
    """Topic key -> its tips, topics in TOPICS order; empty topics left out."""
    grouped: dict[str, tuple[Tip, ...]] = {}
    for topic in TOPICS:
        found = tuple(t for t in all_tips() if t.topic == topic)
        if found:
            grouped[topic] = found
    return grouped


@functools.cache
def learn_pages() -> tuple[LearnPage, ...]:
    """Every learn page, in reading order."""
    return load_learn_pages(LEARN_DIR)


def learn_page(slug: str) -> LearnPage | None:
    return next((p for p in learn_pages() if p.slug == slug), None)


@functools.cache
def red_flags() -> RedFlagGuidance:
    return load_red_flags(RED_FLAGS_FILE)


def emergency_number() -> str:
    """The number to show: settings.EMERGENCY_PHONE_NUMBER if set, else the file's default."""
    from django.conf import settings

    if settings.configured:
        configured = getattr(settings, "EMERGENCY_PHONE_NUMBER", "")
        if configured:
            return str(configured)
    return red_flags().emergency_number


def validate_all() -> None:
    """Load and check all content; raise ContentError on the first problem.

    Call from ``AppConfig.ready()`` so a broken file stops start-up.
    """
    tips = all_tips()
    missing = [tip_id for tip_id in REQUIRED_TIP_IDS if tip_id not in {t.id for t in tips}]
    if missing:
        raise ContentError(TIPS_DIR, f"missing tip file(s) for: {', '.join(missing)}")
    slugs = {page.slug for page in learn_pages()}
    missing = [slug for slug in REQUIRED_LEARN_SLUGS if slug not in slugs]
    if missing:
        raise ContentError(LEARN_DIR, f"missing learn page(s): {', '.join(missing)}")
    red_flags()


def clear_caches() -> None:
    """Forget loaded content (for tests and for reloading after edits)."""
    for func in (all_tips, _tips_by_id, learn_pages, red_flags):
        func.cache_clear()
