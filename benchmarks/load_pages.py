"""The links and forms of a page, as a browser reads them (for benchmarks/load.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


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
