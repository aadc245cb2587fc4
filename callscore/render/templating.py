"""Jinja2 templates of the HTML pages (the per-call report, the dashboard), autoescaped.

Templates are package data (``<package>/templates/``, shipped in the wheel) loaded through
``importlib.resources`` by Jinja2's ``PackageLoader``. Autoescaping is on for every template whatever its
name, so transcript, rubric and store text can never become markup; the only values passed through
unescaped are the page's own constant stylesheet and script, wrapped in :func:`trusted`.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2
    from markupsafe import Markup

TEMPLATE_DIR = "templates"  # folder of a package holding its templates


@cache
def environment(package: str) -> jinja2.Environment:
    """The template environment of ``package`` (e.g. "callscore.render.html"), made once.

    ``StrictUndefined`` makes a misspelt name an error instead of an empty string; ``trim_blocks`` and
    ``lstrip_blocks`` let templates be indented for reading without adding that whitespace to the page.
    """
    import jinja2  # imported on first use: `import callscore` stays light

    env = jinja2.Environment(
        loader=jinja2.PackageLoader(package, TEMPLATE_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["f1"] = lambda v: f"{v:.1f}"
    env.filters["f2"] = lambda v: f"{v:.2f}"
    return env


def render_template(package: str, name: str, **context: Any) -> str:
    """The text of template ``name`` of ``package`` filled with ``context`` (values escaped)."""
    return environment(package).get_template(name).render(**context)


def render_fragment(package: str, name: str, **context: Any) -> Markup:
    """Like :func:`render_template`, for a part (an SVG) that another template inserts as it is: the
    output of an autoescaped template is already safe markup."""
    from markupsafe import Markup

    return Markup(render_template(package, name, **context))  # noqa: S704 - escaped by the template


def trusted(text: str) -> Markup:
    """Mark one of callscore's own constant assets (stylesheet, script) as safe to insert unescaped."""
    from markupsafe import Markup

    return Markup(text)  # noqa: S704 - constants of this package, never data
