"""The saved-query catalogue: queries/*.rq read into SavedQuery values, parameters bound as typed terms.

A query file starts with a grlc-style header: lines beginning with `#+ ` that, with that
prefix removed, are YAML (`summary`, `description`, `tags`, `defaults`, `enumerate`, and our
own `candidates`). Parameters are the query's variables named in the grlc/BASIL way:
`?_name_type` is required, `?__name_type` optional; the type suffix is `iri`, `string`,
`literal`, `integer`, `decimal`, `number`, `boolean`, `date`, `gYear`, `xsd_<datatype>` or a
two-letter language code. A user's value becomes an rdflib term of that type and reaches
the store as a substitution, never as query text.

`candidates` (ours; grlc ignores it) maps a parameter to one class or a list of classes;
their instances, listed by label, are the values a form offers for it. A parameter named
in `enumerate` only accepts one of its candidates.

`pagination: N` (grlc's key) pages a SELECT query N rows at a time: it then takes one more
parameter, `page` (1, 2 ...; 1 when left out), and answers that page's rows (paging.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from rdflib import XSD, Literal, URIRef
from rdflib.term import Node

from .binding import with_value_list
from .errors import ParameterError, QuerySyntaxError, UnknownQueryError
from .paging import Page, modifiers_text, with_page
from .results import QueryResult
from .settings import Settings
from .sparql_files import internal_query
from .store import Store, answer_in_order

__all__ = ["Parameter", "SavedQuery", "Page", "PAGE", "load_catalogue", "get_query", "bind", "convert", "run",
           "run_page", "page_number", "candidates"]

NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_PARAM = re.compile(r"[?$](__?[A-Za-z][A-Za-z0-9_]*)")
_PREFIX = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_KINDS = {"SelectQuery": "SELECT", "ConstructQuery": "CONSTRUCT", "AskQuery": "ASK", "DescribeQuery": "DESCRIBE"}
TYPES = ("iri", "string", "literal", "integer", "decimal", "number", "boolean", "date", "gYear")
_DATATYPES = {"integer": XSD.integer, "decimal": XSD.decimal, "number": XSD.decimal, "boolean": XSD.boolean,
              "date": XSD.date, "gYear": XSD.gYear}
_INTEGER = re.compile(r"^[+-]?\d+$")
_GYEAR = re.compile(r"^\d{4}$")  # a year as the reports give one; saved queries compare the four digits
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
PAGE = "page"  # the parameter a paginated query takes besides its own
MAX_PAGE = 10**9


@dataclass(frozen=True)
class Parameter:
    variable: str  # the SPARQL variable without "?": "_institution_iri"
    name: str  # what users type: "institution"
    type: str  # one of TYPES, or "literal" with a language or datatype
    required: bool
    default: str | None = None
    language: str | None = None
    datatype: str | None = None  # for xsd_<name> parameters
    enumerate: bool = False
    candidate_classes: tuple[str, ...] = ()
    minimum: int | None = None  # for integer parameters: the smallest value accepted


@dataclass(frozen=True)
class SavedQuery:
    name: str
    path: Path
    summary: str
    description: str
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    defaults: Mapping[str, str]
    enumerate: tuple[str, ...]
    text: str
    kind: str  # SELECT, CONSTRUCT, ASK or DESCRIBE
    pagination: int | None = None  # rows a page, for a query whose header has `pagination: N`

    @property
    def page_parameter(self) -> Parameter | None:
        """`page` for a paginated query: not a SPARQL variable (it becomes LIMIT/OFFSET), so not in parameters."""
        if self.pagination is None:
            return None
        return Parameter(variable="", name=PAGE, type="integer", required=False, default="1", minimum=1)

    @property
    def all_parameters(self) -> tuple[Parameter, ...]:
        """Every parameter a user may give: the query's own, then `page` when it is paginated."""
        page = self.page_parameter
        return self.parameters + ((page,) if page else ())

    def parameter(self, name: str) -> Parameter:
        for param in self.all_parameters:
            if param.name == name:
                return param
        raise ParameterError(name, f"query {self.name!r} has no such parameter")


def load_catalogue(settings: Settings) -> dict[str, SavedQuery]:
    """Every queries/*.rq, by name (the file name without .rq), sorted."""
    folder = settings.queries_dir
    if not folder.is_dir():
        return {}
    queries = (_load_current(path) for path in sorted(folder.glob("*.rq")))
    return {q.name: q for q in queries}


def _load_current(path: Path) -> SavedQuery:
    stat = path.stat()
    return _load_cached(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=1024)
def _load_cached(path: Path, mtime_ns: int, size: int) -> SavedQuery:
    """Parsing is the slow part; a file is read again only when it changes."""
    return load_query(path)


def get_query(settings: Settings, name: str) -> SavedQuery:
    """One saved query by name: only its own file is looked at (this runs on every request)."""
    path = settings.queries_dir / f"{name}.rq"
    if not NAME.match(name) or not path.is_file():
        raise UnknownQueryError(f"no saved query named {name!r}")
    return _load_current(path)


def load_query(path: Path) -> SavedQuery:
    text = path.read_text(encoding="utf-8")
    if not NAME.match(path.stem):
        raise QuerySyntaxError(f"{path}: a query's file name must be lower case letters, digits and '-'")
    header = parse_header(text, path)
    defaults = _mapping(header.get("defaults"))
    enumerated = tuple(str(e) for e in _as_list(header.get("enumerate")))
    candidate_map = {k: tuple(_resolve(c, text) for c in _as_list(v))
                     for k, v in _mapping(header.get("candidates"), raw=True).items()}
    params = tuple(_parameter(var, defaults, enumerated, candidate_map) for var in _variables(text))
    kind = query_kind(text, path)
    return SavedQuery(
        name=path.stem, path=path, summary=str(header.get("summary") or "").strip(),
        description=str(header.get("description") or "").strip(),
        tags=tuple(str(t) for t in _as_list(header.get("tags"))), parameters=params,
        defaults=defaults, enumerate=enumerated, text=text, kind=kind,
        pagination=_pagination(header.get("pagination"), text, kind, params, path),
    )


def _pagination(value: object, text: str, kind: str, params: tuple[Parameter, ...], path: Path) -> int | None:
    """The header's `pagination: N`, checked: a whole number of rows, on a SELECT query that has an
    ORDER BY (without one, pages would overlap) and no LIMIT or OFFSET of its own."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise QuerySyntaxError(f"{path}: pagination must be a whole number of rows a page (1 or more), not {value!r}")
    if kind != "SELECT":
        raise QuerySyntaxError(f"{path}: only a SELECT query can have pagination, not a {kind} query")
    if any(p.name == PAGE for p in params):
        raise QuerySyntaxError(f"{path}: a paginated query cannot have a parameter named {PAGE!r}")
    modifiers = modifiers_text(text)
    if re.search(r"\b(LIMIT|OFFSET)\b", modifiers, re.I):
        raise QuerySyntaxError(f"{path}: a paginated query cannot have a LIMIT or OFFSET of its own")
    if not re.search(r"\bORDER\s+BY\b", modifiers, re.I):
        raise QuerySyntaxError(f"{path}: a paginated query needs an ORDER BY, or its pages would overlap")
    return value


def parse_header(text: str, path: Path | str = "<query>") -> dict:
    lines = []
    for line in text.splitlines():
        if line.startswith("#+"):
            lines.append(line[3:] if line.startswith("#+ ") else line[2:])
        elif line.strip() and not line.startswith("#"):
            break
    try:
        header = yaml.safe_load("\n".join(lines)) if lines else {}
    except yaml.YAMLError as exc:
        raise QuerySyntaxError(f"{path}: the #+ header is not valid YAML: {exc}") from None
    if not isinstance(header, dict):
        raise QuerySyntaxError(f"{path}: the #+ header must be 'key: value' lines")
    return header


def query_kind(text: str, path: Path | str = "<query>") -> str:
    """SELECT, CONSTRUCT, ASK or DESCRIBE; a QuerySyntaxError naming the file when it does not parse."""
    from .sparql_policy import parse_query  # rdflib's parser, under the lock that makes it thread-safe

    try:
        parsed = parse_query(text)
    except Exception as exc:  # pyparsing raises several kinds
        raise QuerySyntaxError(f"{path}: {exc}") from None
    return _KINDS.get(parsed[1].name, "SELECT")


def _variables(text: str) -> list[str]:
    body = "\n".join(line.split("#", 1)[0] if not line.lstrip().startswith("#") else "" for line in text.splitlines())
    body = re.sub(r"<[^>\s]*>", " ", body)  # IRIs may hold '?'
    seen: list[str] = []
    for var in _PARAM.findall(body):
        if var not in seen:
            seen.append(var)
    return seen


def _parameter(variable: str, defaults: Mapping[str, str], enumerated: tuple[str, ...],
               candidate_map: Mapping[str, tuple[str, ...]]) -> Parameter:
    required = not variable.startswith("__")
    parts = variable.lstrip("_").split("_")
    language = datatype = None
    if len(parts) >= 3 and parts[-2] == "xsd":
        kind, datatype, parts = "literal", str(XSD) + parts[-1], parts[:-2]
    elif len(parts) >= 2 and parts[-1] in TYPES:
        kind, parts = parts[-1], parts[:-1]
    elif len(parts) >= 2 and re.fullmatch(r"[a-z]{2}", parts[-1]):
        kind, language, parts = "literal", parts[-1], parts[:-1]
    else:
        kind = "string"
    name = "_".join(parts)
    return Parameter(variable=variable, name=name, type=kind, required=required,
                     default=None if defaults.get(name) is None else str(defaults[name]),
                     language=language, datatype=datatype, enumerate=name in enumerated,
                     candidate_classes=candidate_map.get(name, ()))


def _as_list(value: object) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _mapping(value: object, raw: bool = False) -> dict:
    """grlc writes defaults as a list of one-key maps; a plain map is accepted too."""
    out: dict = {}
    items = value if isinstance(value, list) else [value] if value else []
    for item in items:
        if isinstance(item, dict):
            out.update({str(k): (v if raw else str(v)) for k, v in item.items()})
    return out


def _resolve(name: str, text: str) -> str:
    """A class written as a prefixed name (with the query's own PREFIXes) or a full IRI."""
    name = str(name).strip()
    if name.startswith("<") and name.endswith(">"):
        return name[1:-1]
    prefix, _, local = name.partition(":")
    for found, iri in _PREFIX.findall(text):
        if found == prefix and not local.startswith("//"):
            return iri + local
    return name


def convert(param: Parameter, value: str, base_iri: str | None = None) -> Node:
    """The user's string as a typed RDF term, or a ParameterError naming the parameter and why.
    An IRI may come as the outputs print it: in angle brackets, or short (`org/gtm/igm`) against base_iri."""
    value = value.strip() if param.type != "string" and param.type != "literal" else value
    if param.type == "iri":
        return _iri(param, value, base_iri)
    if param.type == "integer":
        if not _INTEGER.match(value):
            raise ParameterError(param.name, f"{value!r} is not an integer")
        if len(value) > 100:
            raise ParameterError(param.name, f"{value[:20]!r}... has too many digits")
        if param.minimum is not None and int(value) < param.minimum:
            raise ParameterError(param.name, f"{value!r} is less than {param.minimum}")
        return Literal(int(value), datatype=XSD.integer)
    if param.type in ("decimal", "number"):
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise ParameterError(param.name, f"{value!r} is not a decimal number") from None
        if not number.is_finite():
            raise ParameterError(param.name, f"{value!r} is not a finite number")
        return Literal(value, datatype=XSD.decimal)
    if param.type == "boolean":
        if value.lower() not in ("true", "false", "1", "0"):
            raise ParameterError(param.name, f"{value!r} is not true or false")
        return Literal(value.lower() in ("true", "1"))
    if param.type == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            raise ParameterError(param.name, f"{value!r} is not a date (YYYY-MM-DD)") from None
        return Literal(value, datatype=XSD.date)
    if param.type == "gYear":
        if not _GYEAR.match(value):
            raise ParameterError(param.name, f"{value!r} is not a year (YYYY)")
        return Literal(value, datatype=XSD.gYear)
    if param.language:
        return Literal(value, lang=param.language)
    if param.datatype:
        return Literal(value, datatype=URIRef(param.datatype))
    return Literal(value)


def _iri(param: Parameter, value: str, base_iri: str | None = None) -> URIRef:
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1].strip()
    parts = urlsplit(value)
    if not parts.scheme and base_iri and value and not value.startswith(("/", "#", "?")):
        value, parts = base_iri + value, urlsplit(base_iri + value)  # a short name, as the tables print it
    if parts.scheme.lower() not in ("http", "https", "urn") or _IRI_FORBIDDEN.search(value):
        raise ParameterError(param.name, f"{value!r} is not an absolute http(s) or urn: IRI")
    if parts.scheme.lower() != "urn" and not parts.netloc:
        raise ParameterError(param.name, f"{value!r} has no host")
    return URIRef(value)


def bind(query: SavedQuery, values: Mapping[str, str], base_iri: str | None = None) -> dict[str, Node]:
    """Bindings for store.query: each given (or default) value converted; optional ones left out when absent.

    Enumerated parameters are checked against the store (enumerated_checks). A paginated query's
    `page` is checked here (page_number) but is no binding: it becomes the query's LIMIT/OFFSET.
    """
    known = {p.name for p in query.all_parameters}
    for name in values:
        if name not in known:
            raise ParameterError(name, f"query {query.name!r} has no such parameter; it takes "
                                       f"{', '.join(sorted(known)) or 'none'}")
    page_number(query, values)
    bindings: dict[str, Node] = {}
    for param in query.parameters:
        raw = values.get(param.name)
        if raw is None or raw == "":
            raw = param.default
        if raw is None or raw == "":
            if param.required:
                raise ParameterError(param.name, "is required")
            continue
        bindings[param.variable] = convert(param, raw, base_iri)
    return bindings


MAX_CANDIDATES = 500  # past this, a list to choose from is no help: a form asks for an IRI instead


def candidates(store: Store, param: Parameter, limit: int = MAX_CANDIDATES) -> list[tuple[URIRef, str]] | None:
    """The instances of the parameter's candidate classes (or their subclasses), with labels, by
    label; None when there are more than `limit` (every institution of 150 profiles is 20,000)."""
    if not param.candidate_classes:
        return []
    classes = [URIRef(c) for c in param.candidate_classes]
    count = store.query(with_value_list(internal_query("candidate-count"), "class", classes)).rows[0][0]
    if int(count) > limit:  # type: ignore[arg-type]
        return None
    best: dict[URIRef, tuple[int, str]] = {}
    acronyms: dict[URIRef, str] = {}
    for thing, label, acronym in store.query(with_value_list(internal_query("candidates"), "class", classes)).rows:
        if not isinstance(thing, URIRef):
            continue
        lang = getattr(label, "language", None) or ""
        rank = (0 if lang == "en" else 1 if lang == "" else 2, str(label) if label is not None else str(thing))
        if thing not in best or rank < best[thing]:
            best[thing] = rank
        if acronym is not None:
            acronyms[thing] = min(acronyms.get(thing, str(acronym)), str(acronym))
    named = [(t, _with_acronym(r[1], acronyms.get(t))) for t, r in best.items()]
    return sorted(named, key=lambda item: (item[1].lower(), str(item[0])))


def _with_acronym(label: str, acronym: str | None) -> str:
    """'Guatemalan Migration Institute (IGM)': the acronym too, unless the name already has it."""
    return f"{label} ({acronym})" if acronym and acronym not in label else label


def enumerated_checks(query: SavedQuery, bindings: Mapping[str, Node]) -> list[tuple[Parameter, str, dict]]:
    """For each enumerated parameter given a value: the ASK (text and bindings) that says whether
    the value is an instance of its candidate classes. One ASK per value, rather than listing
    every candidate (thousands, at the scale of many profiles)."""
    checks = []
    for param in query.parameters:
        term = bindings.get(param.variable)
        if param.enumerate and param.candidate_classes and term is not None:
            ask = with_value_list(internal_query("candidate-check"), "class",
                                  [URIRef(c) for c in param.candidate_classes])
            checks.append((param, ask, {"thing": term}))
    return checks


def _checked_answer(store: Store, checks: list[tuple[Parameter, str, dict]], text: str,
                    bindings: Mapping[str, Node], max_rows: int | None) -> QueryResult:
    """The checks, then the query (ParameterError at the first value that fails its check). A store
    with query_batch (the worker pool) runs them in one round trip, stopping at a failed check."""
    batch = getattr(store, "query_batch", None)
    items = [(ask, check_bindings, {}) for _, ask, check_bindings in checks]
    items.append((text, dict(bindings), {"max_rows": max_rows}))
    answers = batch(items) if checks and callable(batch) else answer_in_order(store, items)
    for (param, _, check_bindings), answer in zip(checks, answers, strict=False):
        if not answer.boolean:
            raise ParameterError(param.name, f"{str(check_bindings['thing'])!r} is not one of the values this "
                                             "query offers")
    return answers[-1]


def page_number(query: SavedQuery, values: Mapping[str, str]) -> int | None:
    """The page asked for (1 when none is), or None for a query without pagination; a ParameterError
    naming `page` when the value is not a whole number of 1 or more."""
    param = query.page_parameter
    if param is None:
        return None  # bind() refuses a `page` the query does not take
    raw = values.get(PAGE)
    number = int(convert(param, raw if raw is not None and raw.strip() != "" else str(param.default)))
    if number > MAX_PAGE:
        raise ParameterError(PAGE, f"{number} is past any page this query can have")
    return number


def run(store: Store, query: SavedQuery, values: Mapping[str, str], max_rows: int | None = None) -> QueryResult:
    """Bind the values (checking enumerated ones) and run the query; for a paginated query, one page."""
    return run_page(store, query, values, max_rows)[0]


def run_page(store: Store, query: SavedQuery, values: Mapping[str, str],
             max_rows: int | None = None, base_iri: str | None = None) -> tuple[QueryResult, Page | None]:
    """run(), with which page the answer is (None for a query without pagination).

    A page asks for one row more than it holds, to know whether another page follows."""
    bindings = bind(query, values, base_iri)
    number = page_number(query, values)
    text = query.text
    if number is not None and query.pagination is not None:
        size = query.pagination
        text = with_page(text, size + 1, (number - 1) * size)
    result = _checked_answer(store, enumerated_checks(query, bindings), text, bindings, max_rows)
    if result.is_graph:
        from .export import PREFIXES

        result = replace(result, prefixes=PREFIXES)
    if number is None or query.pagination is None:
        return result, None
    size = query.pagination
    page = Page(number=number, size=size, count=min(len(result.rows), size), has_next=len(result.rows) > size)
    # a new QueryResult: a caching store may hand the same object to the next caller
    return replace(result, rows=result.rows[:size]), page
