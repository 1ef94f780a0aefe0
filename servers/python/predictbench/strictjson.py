"""The contract's JSON rules (StrictJson.java) and request rules (RequestValidator.java, GenAiValidator.java).

Jackson, which reads every Java stack's bodies, is strict: no duplicate keys, no NaN or Infinity
literals, no trailing data, no numbers of more than 1,000 characters, no nesting past 1,000 levels,
no strings coerced to numbers or numbers to strings, no fractions to whole numbers, no unknown fields.
It binds while it reads, so the first problem in the document decides the code: a value of the wrong
type before a syntax error later on is MISTYPED_FIELD, not MALFORMED_JSON. This module gives the same
codes for the same bodies:

- a fast path: the standard library's C parser with hooks that refuse what Jackson refuses
  (duplicates, NaN/Infinity) and then a check of the types in document order, for valid documents;
- an exact path, taken only when the fast one fails: a small reader that binds while it reads, as
  Jackson does, so the first problem is the one reported.

Binding (types) comes first for the whole body, then the validators' rules (missing, empty, limits,
finiteness), as in Java.
"""
from __future__ import annotations

import codecs
import json
import math
import re

from .errors import ApiException

MAX_DEPTH = 1000
MAX_NUMBER_CHARS = 1000
#: Values of at least this size round to infinity as 32-bit floats (FLT_MAX plus half an ulp).
FLOAT32_OVERFLOW = 3.4028235677973366e38
INT32_MIN, INT32_MAX = -(1 << 31), (1 << 31) - 1

# Field kinds of the request bodies.
ROWS, STRINGS, STRING, INT32 = "rows", "strings", "string", "int32"
BOOLEAN, MESSAGES = "boolean", "messages"
PREDICT = {"instances": ROWS}
EMBED = {"texts": STRINGS}
SEARCH = {"query": STRING, "k": INT32}
#: /chat: an array of objects of exactly these fields, then an optional boolean.
MESSAGE = {"role": STRING, "content": STRING}
CHAT = {"messages": MESSAGES, "stream": BOOLEAN}
#: The request (Jackson) names an unknown field's alternatives from its own level's fields.
_LEVELS = {MESSAGES: MESSAGE}


def _malformed(detail: str) -> ApiException:
    return ApiException("MALFORMED_JSON", "request body is not valid JSON: " + detail)


def _mistyped(path: str, kind: str) -> ApiException:
    expected = {ROWS: "an array", STRINGS: "an array", STRING: "a string", INT32: "a whole number",
                "row": "an array", "number": "a number", "object": "a JSON object",
                BOOLEAN: "a boolean", MESSAGES: "an array", "message": "a JSON object"}[kind]
    return ApiException("MISTYPED_FIELD", (path or "request body") + " has the wrong type: expected " + expected)


def _unknown(name: str, schema: dict, where: str = "") -> ApiException:
    known = ", ".join(f"'{k}'" for k in sorted(schema))
    return ApiException("UNKNOWN_FIELD", f"unknown field '{where}{name}'; "
                        f"{'the request' if not where else where.rstrip('.')} takes only {known}")


def _too_big_int(path: str) -> ApiException:
    return ApiException("MISTYPED_FIELD", f"{path} has the wrong type: expected a whole number that fits 32 bits")


def null_body() -> ApiException:
    return ApiException("MISTYPED_FIELD", "request body has the wrong type: expected a JSON object, got null")


def _to_float(v) -> float:
    """A JSON number as Jackson reads it into a double: integers too large for a double are infinite."""
    if type(v) is float:
        return v
    try:
        return float(v)
    except OverflowError:
        return math.inf if v > 0 else -math.inf


class _Retry(Exception):
    """The fast path cannot decide: take the exact one."""


def _pairs(pairs):
    d = dict(pairs)
    if len(d) != len(pairs):
        raise _Retry()
    return d


def _constant(name):
    raise _Retry()


# Every byte a JSON number may hold becomes N, every other a space: a run of more than
# MAX_NUMBER_CHARS Ns is a number Jackson refuses (bytes.translate and `in` are C loops, ~10 us for
# 64 rows, where a regular expression took 150 us).
_NUMBER_BYTES = bytes(78 if chr(b) in "-+.eE0123456789" else 32 for b in range(256))
_LONG_NUMBER = b"N" * (MAX_NUMBER_CHARS + 1)


def bind(body: bytes, schema: dict) -> dict:
    """The body's fields by the schema's kinds (absent or null: None), or the contract's error."""
    try:
        text = body.decode("utf-8")
        if len(body) > MAX_NUMBER_CHARS and _LONG_NUMBER in body.translate(_NUMBER_BYTES):
            raise _Retry()
        value = json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant)
    except (_Retry, ValueError, RecursionError):
        return _Reader(body.decode("utf-8", "predictbench-jackson-utf8"), schema).document()
    return _bind_parsed(value, schema)


# ---- The fast path: a parsed document, its types checked in document order.
_FLOATS_ONLY = frozenset((float,))

def _bind_parsed(value, schema: dict) -> dict:
    if value is None:
        raise null_body()
    if type(value) is not dict:
        raise _mistyped("", "object")
    return _bind_object(value, schema, "")


def _bind_object(value: dict, schema: dict, where: str) -> dict:
    """An object's fields by the schema's kinds, in document order; where: the path prefix of its fields."""
    out = dict.fromkeys(schema)
    assigned = 0
    pending = None
    for name, v in value.items():
        kind = schema.get(name)
        if kind is None:
            if _SURROGATE.search(name):
                raise _malformed("a lone surrogate in a field name")
            if assigned == len(schema):
                raise _unknown(name, schema, where)
            if pending is None:
                pending = name
            continue
        out[name] = _bind_value(v, kind, where + name)
        assigned += 1
        if assigned == len(schema) and pending is not None:
            raise _unknown(pending, schema, where)
    if pending is not None:
        raise _unknown(pending, schema, where)
    return out


def _bind_value(v, kind: str, path: str):
    if v is None:
        return None
    t = type(v)
    if kind == ROWS:
        if t is not list:
            raise _mistyped(path, ROWS)
        rows = []
        for r, row in enumerate(v):
            if row is None:
                rows.append(None)
                continue
            if type(row) is not list:
                raise _mistyped(f"{path}[{r}]", "row")
            if _FLOATS_ONLY.issuperset(map(type, row)):
                rows.append(row)
                continue
            out = []
            for f, x in enumerate(row):
                tx = type(x)
                if tx is float:
                    out.append(x)
                elif tx is int:
                    out.append(_to_float(x))
                elif x is None:
                    out.append(None)
                else:
                    raise _mistyped(f"{path}[{r}][{f}]", "number")
            rows.append(out)
        return rows
    if kind == STRINGS:
        if t is not list:
            raise _mistyped(path, STRINGS)
        for i, x in enumerate(v):
            if x is not None and type(x) is not str:
                raise _mistyped(f"{path}[{i}]", STRING)
        return v
    if kind == STRING:
        if t is not str:
            raise _mistyped(path, STRING)
        return v
    if kind == INT32:
        if t is not int:
            raise _mistyped(path, INT32)
        if not INT32_MIN <= v <= INT32_MAX:
            raise _too_big_int(path)
        return v
    if kind == BOOLEAN:
        if t is not bool:
            raise _mistyped(path, BOOLEAN)
        return v
    if kind == MESSAGES:
        if t is not list:
            raise _mistyped(path, MESSAGES)
        out = []
        for i, x in enumerate(v):
            if x is None:
                out.append(None)
            elif type(x) is not dict:
                raise _mistyped(f"{path}[{i}]", "message")
            else:
                out.append(_bind_object(x, _LEVELS[MESSAGES], f"{path}[{i}]."))
        return out
    raise AssertionError(kind)


# ---- The exact path: bind while reading, the first problem in the document decides.

_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_STRING = re.compile(r'"((?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*)"')
_WS = " \t\n\r"
_END_OF_VALUE = set(" \t\n\r,]}")
# Bytes that are not UTF-8, as the lenient decoding marks them.
_NOT_UTF8 = re.compile("[\udc80-\udcff]")
# A surrogate left alone after decoding (an escape such as \\ud800 without its pair): Jackson takes
# one in a string value but refuses it in a field name.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _jackson_utf8(e: UnicodeDecodeError):
    """Decoding as Jackson's byte parser does: a lead byte C0-DF, E0-EF or F0-F7 followed by 1, 2 or 3
    continuation bytes is read as the code point those bits spell, without Python's checks for
    overlong forms and surrogates (Jackson takes them inside strings); any other byte that is not
    UTF-8, and an overlong ASCII character (which must never pass for a token), becomes a lone
    surrogate U+DC80-U+DCFF, which the reader refuses wherever it is."""
    data, i = e.object, e.start
    c = data[i]
    n = 1 if 0xC0 <= c <= 0xDF else 2 if 0xE0 <= c <= 0xEF else 3 if 0xF0 <= c <= 0xF7 else 0
    tail = data[i + 1:i + 1 + n]
    if n and len(tail) == n and all(0x80 <= b <= 0xBF for b in tail):
        cp = c & (0x1F, 0x0F, 0x07)[n - 1]
        for b in tail:
            cp = (cp << 6) | (b & 0x3F)
        if cp < 0x80:  # an overlong form of an ASCII character: never a JSON token ('1', '"')
            return chr(0xDC00 + c), i + 1
        if 0xDC80 <= cp <= 0xDCFF or cp > 0x10FFFF:
            return "\ufffd", i + 1 + n
        return chr(cp), i + 1 + n
    return chr(0xDC00 + c), i + 1


codecs.register_error("predictbench-jackson-utf8", _jackson_utf8)


class _Reader:
    def __init__(self, s: str, schema: dict):
        self.s = s
        self.i = 1 if s.startswith("\ufeff") else 0
        self.n = len(s)
        self.schema = schema

    # -- tokens

    def ws(self):
        s, i, n = self.s, self.i, self.n
        while i < n and s[i] in _WS:
            i += 1
        self.i = i

    def peek(self) -> str:
        self.ws()
        if self.i >= self.n:
            raise _malformed("unexpected end-of-input")
        return self.s[self.i]

    def fail_here(self):
        if self.i >= self.n:
            raise _malformed("unexpected end-of-input")
        c = self.s[self.i]
        if _NOT_UTF8.match(c):
            raise _malformed("invalid UTF-8 in the body")
        raise _malformed(f"unexpected character ({c!r}) at position {self.i}")

    def expect(self, c: str):
        if self.peek() != c:
            self.fail_here()
        self.i += 1

    def string(self) -> str:
        m = _STRING.match(self.s, self.i)
        if m is None:
            self._bad_string()
        raw = m.group(1)
        if _NOT_UTF8.search(raw):
            raise _malformed("invalid UTF-8 in a string")
        self.i = m.end()
        return json.loads(m.group(0)) if "\\" in raw else raw

    def _bad_string(self):
        s, i = self.s, self.i + 1
        while i < self.n:
            c = s[i]
            if c == '"':
                break
            if c == "\\":
                i += 2
                continue
            if c < " ":
                raise _malformed("unescaped control character in a string")
            i += 1
        if i >= self.n:
            raise _malformed("unexpected end-of-input in a string")
        raise _malformed("invalid escape in a string")

    def number(self, root: bool = False):
        """A number token as (text, is_integer). As Jackson reads it: a fraction or an exponent without
        digits (a '.' or an 'e' where the number could still go on) and a leading zero are errors of the number; what follows it is the next token's
        business, except at the root, where only white space may follow."""
        m = _NUMBER.match(self.s, self.i)
        if m is None:
            self.fail_here()
        end = m.end()
        text = m.group(0)
        if end < self.n:
            c = self.s[end]
            fraction, exponent = m.group(1), m.group(2)
            if ((c == "." and fraction is None and exponent is None) or (c in "eE" and exponent is None)
                    or (c.isdigit() and text.lstrip("-") == "0") or (root and c not in _WS)):
                self.i = end
                self.fail_here()
        if len(text) > MAX_NUMBER_CHARS:
            raise _malformed(f"a number of {len(text)} characters is longer than the limit of {MAX_NUMBER_CHARS}")
        self.i = end
        return text, m.group(1) is None and m.group(2) is None

    def literal(self, root: bool = False):
        """true, false or null, not followed by a character a name could go on with (Jackson's rule;
        at the root, only white space may follow)."""
        for word, value in (("true", True), ("false", False), ("null", None)):
            if self.s.startswith(word, self.i):
                end = self.i + len(word)
                if end < self.n:
                    c = self.s[end]
                    if (c in "_$" or ("a" + c).isidentifier() or _NOT_UTF8.match(c)
                            or (root and c not in _WS)):
                        self.i = end
                        self.fail_here()
                self.i = end
                return value
        self.fail_here()

    def scalar_or_mismatch(self, path: str, kind: str, root: bool = False):
        """The token here, when it is not what `kind` takes: a well-formed token is the wrong type.
        Jackson reports an array or an object at its first bracket, a string or a number once read."""
        c = self.s[self.i]
        if c in "[{":
            raise _mistyped(path, kind)
        if c == '"':
            self.string()
            raise _mistyped(path, kind)
        if c == "-" or "0" <= c <= "9":
            self.number(root)
            raise _mistyped(path, kind)
        if c in "tf":
            self.literal(root)
            raise _mistyped(path, kind)
        self.fail_here()

    def skip_value(self, depth: int):
        """Reads one value whatever it is (an unknown field's, which Jackson reads to report it)."""
        stack = []  # per open container: None for an array, the set of keys for an object
        while True:
            c = self.peek()
            if c == "{" or c == "[":
                if depth + len(stack) + 1 > MAX_DEPTH:
                    raise _malformed(f"the document is nested deeper than {MAX_DEPTH} levels")
                self.i += 1
                if c == "{":
                    stack.append(set())
                    if self.peek() == "}":
                        self.i += 1
                        stack.pop()
                    else:
                        self._key(stack[-1])
                        continue
                else:
                    stack.append(None)
                    if self.peek() == "]":
                        self.i += 1
                        stack.pop()
                    else:
                        continue
            elif c == '"':
                self.string()
            elif c == "-" or "0" <= c <= "9":
                self.number()
            else:
                self.literal()
            # after a value: close containers or go to the next element
            while stack:
                c = self.peek()
                top = stack[-1]
                if c == ",":
                    self.i += 1
                    if top is not None:
                        self._key(top)
                    break
                if (c == "]" and top is None) or (c == "}" and top is not None):
                    self.i += 1
                    stack.pop()
                    continue
                self.fail_here()
            if not stack:
                return

    def _key(self, seen: set) -> str:
        if self.peek() != '"':
            self.fail_here()
        name = self.string()
        if _SURROGATE.search(name):
            raise _malformed("a lone surrogate in a field name")
        if name in seen:
            raise _malformed(f"duplicate field '{name}'")
        seen.add(name)
        self.expect(":")
        return name

    # -- binding

    def document(self) -> dict:
        self.ws()
        if self.i >= self.n:
            raise _malformed("the body is empty")
        c = self.s[self.i]
        if c == "{":
            out = self.object(self.schema, "", 1)
        elif c == "n":
            self.literal(root=True)
            self.end()
            raise null_body()
        else:
            self.scalar_or_mismatch("", "object", root=True)
            raise AssertionError("unreachable")
        self.end()
        return out

    def end(self):
        self.ws()
        if self.i < self.n:
            raise _malformed("trailing data after the JSON value")

    def object(self, schema: dict, where: str, depth: int) -> dict:
        """The object here, bound by `schema`; where: the path prefix of its fields; depth: its nesting level."""
        self.i += 1
        out = dict.fromkeys(schema)
        seen = set()
        assigned = 0
        pending = None
        if self.peek() == "}":
            self.i += 1
            return out
        while True:
            name = self._key(seen)
            kind = schema.get(name)
            if kind is None:
                if assigned == len(schema):
                    raise _unknown(name, schema, where)
                self.skip_value(depth)
                if pending is None:
                    pending = name
            else:
                out[name] = self.value(kind, where + name, depth)
                assigned += 1
                if assigned == len(schema) and pending is not None:
                    # Jackson builds the request once its last field is read, after reading the next
                    # token (a name with its colon, or the end of the object), then reports the
                    # unknown field it kept.
                    c = self.peek()
                    if c == ",":
                        self.i += 1
                        self._key(seen)
                    elif c != "}":
                        self.fail_here()
                    raise _unknown(pending, schema, where)
            c = self.peek()
            self.i += 1
            if c == "}":
                break
            if c != ",":
                self.i -= 1
                self.fail_here()
        if pending is not None:
            raise _unknown(pending, schema, where)
        return out

    def value(self, kind: str, path: str, depth: int = 1):
        c = self.peek()
        if c == "n":
            return self.literal_null()
        if kind == BOOLEAN:
            if c in "tf":
                v = self.literal()
                if v is None:
                    raise AssertionError("t and f start only true and false")
                return v
            self.scalar_or_mismatch(path, BOOLEAN)
        if kind == STRING:
            if c != '"':
                self.scalar_or_mismatch(path, STRING)
            return self.string()
        if kind == INT32:
            if c == "-" or "0" <= c <= "9":
                text, integer = self.number()
                if not integer:
                    raise _mistyped(path, INT32)
                v = int(text)
                if not INT32_MIN <= v <= INT32_MAX:
                    raise _too_big_int(path)
                return v
            self.scalar_or_mismatch(path, INT32)
        if c != "[":
            self.scalar_or_mismatch(path, kind)
        self.i += 1
        items = []
        if self.peek() == "]":
            self.i += 1
            return items
        while True:
            where = f"{path}[{len(items)}]"
            if kind == ROWS:
                items.append(self.row(where))
            elif kind == MESSAGES:
                items.append(self.message(where, depth + 1))
            else:
                items.append(self.value(STRING, where))
            c = self.peek()
            self.i += 1
            if c == "]":
                return items
            if c != ",":
                self.i -= 1
                self.fail_here()

    def message(self, path: str, depth: int):
        c = self.peek()
        if c == "n":
            return self.literal_null()
        if c != "{":
            self.scalar_or_mismatch(path, "message")
        return self.object(_LEVELS[MESSAGES], path + ".", depth + 1)

    def literal_null(self):
        v = self.literal()
        if v is not None:
            raise AssertionError("n starts only null")
        return None

    def row(self, path: str):
        c = self.peek()
        if c == "n":
            return self.literal_null()
        if c != "[":
            self.scalar_or_mismatch(path, "row")
        self.i += 1
        values = []
        if self.peek() == "]":
            self.i += 1
            return values
        while True:
            c = self.peek()
            if c == "n":
                values.append(self.literal_null())
            elif c == "-" or "0" <= c <= "9":
                text, integer = self.number()
                values.append(_to_float(int(text)) if integer else float(text))
            else:
                self.scalar_or_mismatch(f"{path}[{len(values)}]", "number")
            c = self.peek()
            self.i += 1
            if c == "]":
                return values
            if c != ",":
                self.i -= 1
                self.fail_here()


# ---- The validators' rules, after binding (RequestValidator.java, GenAiValidator.java).

def predict_rows(fields: dict, feature_count: int, max_batch: int) -> list:
    """The rows of a bound /predict body, checked: each a list of finite floats that fit 32 bits."""
    instances = fields["instances"]
    if instances is None:
        raise ApiException("MISSING_FIELD", "field 'instances' is required: an array of rows of "
                           f"{feature_count} numbers")
    if not instances:
        raise ApiException("EMPTY_BATCH", "'instances' is empty: send at least one row")
    if len(instances) > max_batch:
        raise ApiException("BATCH_TOO_LARGE", f"'instances' has {len(instances)} rows; the limit is {max_batch}")
    for r, row in enumerate(instances):
        if row is None:
            raise ApiException("MISTYPED_FIELD", f"instances[{r}] is null; expected an array of {feature_count} numbers")
        if len(row) != feature_count:
            raise ApiException("WRONG_FEATURE_COUNT", f"instances[{r}] has {len(row)} values; the model takes {feature_count}")
        try:
            ok = max(map(abs, row)) < FLOAT32_OVERFLOW
        except TypeError:  # a null value
            ok = False
        if not ok:
            for f, v in enumerate(row):
                if v is None:
                    raise ApiException("MISTYPED_FIELD", f"instances[{r}][{f}] is null; expected a number")
                if not abs(v) < FLOAT32_OVERFLOW:
                    raise ApiException("NON_FINITE_VALUE", f"instances[{r}][{f}] is not a finite number (the model "
                                       "takes 32-bit floats, |x| < 3.4e38)")
    return instances


def _blank(text: str) -> bool:
    """Java's String.isBlank() or trim().isEmpty(): only white space, or only characters up to U+0020."""
    return all(c <= " " for c in text) or all(_java_whitespace(c) for c in text)


def _java_whitespace(c: str) -> bool:
    import unicodedata
    if c in "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f":
        return True
    return unicodedata.category(c) in ("Zs", "Zl", "Zp") and c not in "\u00a0\u2007\u202f"


def _check_text(text: str, what: str, max_chars: int):
    if _blank(text):
        raise ApiException("EMPTY_TEXT", what + " is empty: send some words")
    if len(text) > max_chars:
        raise ApiException("TEXT_TOO_LONG", f"{what} has {len(text)} characters; the limit is {max_chars}")


def embed_texts(fields: dict, limits) -> list:
    texts = fields["texts"]
    if texts is None:
        raise ApiException("MISSING_FIELD", f"field 'texts' is required: an array of 1 to {limits.max_texts} strings")
    if not texts:
        raise ApiException("EMPTY_BATCH", "'texts' is empty: send at least one text")
    if len(texts) > limits.max_texts:
        raise ApiException("TOO_MANY_TEXTS", f"'texts' has {len(texts)} texts; the limit is {limits.max_texts}")
    for i, text in enumerate(texts):
        if text is None:
            raise ApiException("MISTYPED_FIELD", f"texts[{i}] is null; expected a string")
        _check_text(text, f"texts[{i}]", limits.max_text_chars)
    return texts


def search_query(fields: dict, limits) -> tuple:
    query = fields["query"]
    if query is None:
        raise ApiException("MISSING_FIELD", "field 'query' is required: a description to look up")
    _check_text(query, "'query'", limits.max_text_chars)
    k = fields["k"]
    if k is None:
        k = limits.default_k
    if k < 1 or k > limits.max_k:
        raise ApiException("K_OUT_OF_RANGE", f"'k' is {k}; it must be from 1 to {limits.max_k}")
    return query, k


# ---- /chat (ChatValidator on the Java side).
MAX_MESSAGES = 64
MAX_MESSAGE_CHARS = 8000
ROLES = ("system", "user", "assistant")


def chat_request(fields: dict) -> tuple:
    """A bound /chat body, checked: (messages as [{"role", "content"}], stream)."""
    messages = fields["messages"]
    if messages is None:
        raise ApiException("MISSING_FIELD", "field 'messages' is required: an array of 1 to "
                           f"{MAX_MESSAGES} objects with 'role' and 'content'")
    if not messages:
        raise ApiException("EMPTY_BATCH", "'messages' is empty: send at least one message")
    if len(messages) > MAX_MESSAGES:
        raise ApiException("TOO_MANY_MESSAGES", f"'messages' has {len(messages)} messages; the limit is {MAX_MESSAGES}")
    for i, m in enumerate(messages):
        if m is None:
            raise ApiException("MISTYPED_FIELD", f"messages[{i}] is null; expected an object with 'role' and 'content'")
        role, content = m["role"], m["content"]
        if role is None:
            raise ApiException("MISSING_FIELD", f"field 'messages[{i}].role' is required: one of {', '.join(ROLES)}")
        if content is None:
            raise ApiException("MISSING_FIELD", f"field 'messages[{i}].content' is required: a string")
        if role not in ROLES:
            from .errors import printable
            raise ApiException("INVALID_ROLE", f"messages[{i}].role is '{printable(role)}'; it must be one of "
                               f"{', '.join(ROLES)}")
        if len(content) > MAX_MESSAGE_CHARS:
            raise ApiException("TEXT_TOO_LONG", f"messages[{i}].content has {len(content)} characters; "
                               f"the limit is {MAX_MESSAGE_CHARS}")
    stream = fields["stream"]
    return messages, bool(stream)
