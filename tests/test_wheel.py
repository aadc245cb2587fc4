"""The built wheel carries the rubrics and the model manifest, found through importlib.resources."""

import zipfile
from pathlib import Path

import pytest
from wheel_helpers import build_wheel, install_wheel, run_installed


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    return build_wheel(tmp_path_factory.mktemp("wheel"))


def test_wheel_contains_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "callscore/_data/models/manifest.yaml" in names
    assert any(n.startswith("callscore/_data/rubrics/") and n.endswith(".yaml") for n in names)
    for lang in ("id", "en"):  # language data ships with the rubrics
        for name in ("roles", "backchannels", "lexicon", "blame", "function_words"):
            assert f"callscore/_data/rubrics/lang/{lang}/{name}.yaml" in names
    # The review app's templates and stylesheet (callscore serve) travel inside the package.
    assert {"callscore/serve/templates/call.html", "callscore/serve/static/app.css"} <= set(names)
    # So do the Jinja2 templates of the per-call HTML report and of the dashboard.
    assert {
        "callscore/render/html/templates/report.html.j2",
        "callscore/render/html/templates/timeline.svg.j2",
        "callscore/render/html/templates/voice_curve.svg.j2",
        "callscore/results/templates/dashboard.html.j2",
    } <= set(names)


def test_installed_wheel_finds_its_data(wheel, tmp_path):
    target = install_wheel(wheel, tmp_path / "site")
    code = (
        "import callscore, callscore.resources as r, callscore.asr.models as m;"
        f"assert callscore.__file__.startswith({str(target)!r}), callscore.__file__;"
        "print(r.data_dir('rubrics'));print(m.manifest_path());print(m.get_spec(None).name);"
        "from callscore.speakers.roles import AGENT_CUES;assert len(AGENT_CUES) > 20;"
        # The HTML report and the dashboard render from the installed package's templates.
        "from callscore.render.html.report import render;from callscore.scorecard import Scorecard;"
        "card = Scorecard('c<1>', 's', '', 1.0, 'r', '1', 'R', None, False, ());"
        "page = render(scorecard=card);assert 'c&lt;1&gt;' in page and '<footer>' in page, page;"
        "import callscore.results.dashboard as d, callscore.results.aggregates as a;"
        "from callscore.results.store import open_store;st = open_store('e.sqlite');"
        "assert 'chart-trend' in d.render_dashboard(a.build_report(st));st.close()"
    )
    # Run outside the checkout so only the installed copy is importable.
    res = run_installed(code, site=target, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    rubrics, manifest, name = res.stdout.split()
    assert rubrics.startswith(str(target)) and manifest.startswith(str(target))
    assert name == "whisper-base"
    assert list(Path(rubrics).glob("*.yaml"))
