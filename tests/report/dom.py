"""A small tree of the DOM Chromium dumps, to ask which rows the page's script drew."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict, parent: "Node | None"):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def all(self, tag: str | None = None, **attrs) -> list["Node"]:
        """Descendants with this tag and these attributes (class_ matches one class; True: present)."""
        out = []
        for child in self.children:
            if isinstance(child, str):
                continue
            if (tag is None or child.tag == tag) and all(_has(child, k, v) for k, v in attrs.items()):
                out.append(child)
            out += child.all(tag, **attrs)
        return out

    def by_id(self, ident: str) -> "Node":
        found = self.all(id=ident)
        assert found, f"no element #{ident} in the rendered page"
        return found[0]


def _has(node: Node, key: str, value) -> bool:
    name = "class" if key == "class_" else key.replace("_", "-")
    if name not in node.attrs:
        return False
    if value is True:
        return True
    if name == "class":
        return value in (node.attrs[name] or "").split()
    return node.attrs[name] == value


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#document", {}, None)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(text: str) -> Node:
    builder = _Builder()
    builder.feed(text)
    return builder.root
