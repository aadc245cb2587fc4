"""The HTML pages come from autoescaped Jinja2 templates, not from markup written in Python strings."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from callscore.render.templating import environment, render_template

PACKAGE = Path(__file__).resolve().parents[1] / "callscore"
HTML_PACKAGES = ("render", "results")  # where the report and the dashboard are built
# GitHub-flavoured Markdown has no line break inside a table cell but "<br>": that one is Markdown syntax.
MARKDOWN_ONLY = {"render/markdown.py": {"<br>`"}}
TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*[\s>/]")  # "<div ", "</p>", "<br/>"; not "i < n" or "<id>"
TEMPLATE_PACKAGES = ("callscore.render.html", "callscore.results")


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def test_no_markup_in_python_strings_of_render_and_results():
    found = []
    for pkg in HTML_PACKAGES:
        for path in sorted((PACKAGE / pkg).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            skip = _docstrings(tree)
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
                    allowed = MARKDOWN_ONLY.get(path.relative_to(PACKAGE).as_posix(), set())
                    if TAG.search(node.value) and node.value not in allowed:
                        found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value[:60]!r}")
    assert not found, "markup belongs in the templates:\n" + "\n".join(found)


@pytest.mark.parametrize("package", TEMPLATE_PACKAGES)
def test_every_template_is_autoescaped_and_strict(package):
    env = environment(package)
    names = env.list_templates()
    assert names and all(n.endswith(".j2") for n in names)
    for name in names:
        assert env.get_template(name).environment.autoescape is True
    evil = '<script>alert("x")</script>'
    out = env.from_string("<p title='{{ v }}'>{{ v }}</p>").render(v=evil)
    assert "<script>" not in out and "&lt;script&gt;" in out and "&#34;x&#34;" in out


def test_a_misspelt_template_name_is_an_error_not_an_empty_string():
    import jinja2

    with pytest.raises(jinja2.UndefinedError):
        render_template("callscore.results", "dashboard.html.j2", title="t")
