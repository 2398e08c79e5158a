"""A person's browser for benchmarks/load.py: a session over HTTP (cookies, the CSRF token,
compressed pages), and the links and forms of a page as a browser reads them."""

from __future__ import annotations

import gzip
import re
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urljoin, urlsplit


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: str
    ms: float


class Session:
    """One person's browser: cookies, the CSRF token, a connection kept open when allowed."""

    def __init__(self, base: str, *, timeout: float, https_proxy: bool, address: str) -> None:
        parts = urlsplit(base)
        self.address = address
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.origin = f"{'https' if https_proxy else 'http'}://{self.host}:{self.port}"
        self.https_proxy = https_proxy
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.conn: HTTPConnection | None = None

    def _connection(self) -> HTTPConnection:
        if self.conn is None:
            self.conn = HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self.conn

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(
        self,
        method: str,
        path: str,
        data: list[tuple[str, str]] | None = None,
        *,
        referer: str = "/",
        htmx: bool = False,
    ) -> Reply:
        headers = {
            "Host": f"{self.host}:{self.port}",
            "User-Agent": "PeerLearn-load/1",
            "Accept": "text/html,application/xhtml+xml",
            "Accept-Encoding": "gzip",
            "Accept-Language": "en",
        }
        if self.https_proxy:
            headers["X-Forwarded-Proto"] = "https"
        if self.address:
            headers["X-Forwarded-For"] = self.address
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if method == "POST":
            body = urlencode(data or []).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = urljoin(self.origin, referer)
            if "csrftoken" in self.cookies:
                headers["X-CSRFToken"] = self.cookies["csrftoken"]
        if htmx:
            headers["HX-Request"] = "true"
            headers["HX-Current-URL"] = urljoin(self.origin, referer)
        started = time.perf_counter()
        try:
            conn = self._connection()
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            raw = response.read()
        except Exception:
            self.close()
            raise
        ms = (time.perf_counter() - started) * 1000
        for cookie in response.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(cookie)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if response.getheader("Content-Encoding") == "gzip":
            raw = gzip.decompress(raw)
        if response.will_close:
            self.close()
        return Reply(
            response.status,
            {k.lower(): v for k, v in response.getheaders()},
            raw.decode("utf-8", "replace"),
            ms,
        )


def error_summary(reply: Reply) -> str:
    """A short reason for a refused request: the page's first heading or the start of its text."""
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", reply.body, re.S)
    text = heading.group(1) if heading else reply.body[:200]
    words = re.sub(r"<[^>]+>|\s+", " ", text).strip()
    return f"{reply.status} {words[:160]}"


@dataclass
class Control:
    tag: str
    name: str
    kind: str = ""
    value: str = ""
    checked: bool = False
    multiple: bool = False
    options: list[tuple[str, bool]] = field(default_factory=list)


@dataclass
class Form:
    attrs: dict[str, str]
    controls: list[Control] = field(default_factory=list)

    def names(self) -> set[str]:
        return {c.name for c in self.controls}

    def values(self, overrides: dict[str, str]) -> list[tuple[str, str]]:
        """What the browser sends: every successful control, with ``overrides`` typed in."""
        data: list[tuple[str, str]] = []
        submitted = False
        for control in self.controls:
            name = control.name
            if name in overrides:
                if all(n != name for n, _v in data):
                    data.append((name, overrides[name]))
                continue
            if control.tag == "select":
                chosen = [v for v, selected in control.options if selected]
                if not chosen and control.options and not control.multiple:
                    chosen = [control.options[0][0]]
                data.extend((name, v) for v in chosen)
            elif control.kind in ("checkbox", "radio"):
                if control.checked:
                    data.append((name, control.value or "on"))
            elif control.kind in ("submit", "button", "image", "reset", "file"):
                if control.kind == "submit" and not submitted:
                    data.append((name, control.value))
                    submitted = True
            else:
                data.append((name, control.value))
        return data


@dataclass
class Page:
    links: list[str] = field(default_factory=list)
    forms: list[Form] = field(default_factory=list)

    def form_with(self, *, field: str = "", attribute: str = "") -> Form | None:
        for form in self.forms:
            if field and field not in form.names():
                continue
            if attribute and attribute not in form.attrs:
                continue
            return form
        return None


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.form: Form | None = None
        self.text: Control | None = None  # the textarea or option being read
        self.select: Control | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.page.links.append(a["href"])
        elif tag == "form":
            self.form = Form(a)
            self.page.forms.append(self.form)
        elif self.form is None or "disabled" in a:
            return
        elif tag in ("input", "button") and a.get("name"):
            kind = a.get("type", "text" if tag == "input" else "submit").lower()
            self.form.controls.append(
                Control(tag, a["name"], kind, a.get("value", ""), "checked" in a)
            )
        elif tag == "textarea" and a.get("name"):
            self.text = Control(tag, a["name"], "textarea")
            self.form.controls.append(self.text)
        elif tag == "select" and a.get("name"):
            self.select = Control(tag, a["name"], "select", multiple="multiple" in a)
            self.form.controls.append(self.select)
        elif tag == "option" and self.select is not None:
            self.select.options.append((a.get("value", ""), "selected" in a))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.form = None
        elif tag == "textarea":
            self.text = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data: str) -> None:
        if self.text is not None:
            self.text.value += data


def parse(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    return reader.page
