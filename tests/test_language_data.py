"""Role cues, back-channels and the informal lexicon are per-language data files, read the same way."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from callscore.errors import LanguageDataError
from callscore.resources import DEFAULT_LANGUAGES, data_dir, language_data
from callscore.speakers.roles import AGENT_CUES, CUSTOMER_CUES, language_cues
from callscore.timeline.model import ADDRESS_TERMS, BACKCHANNELS
from callscore.transcript.textnorm import informal_lexicon, normalize_text

LANG = data_dir("rubrics") / "lang"


@pytest.mark.parametrize("language", DEFAULT_LANGUAGES)
def test_every_shipped_language_has_all_three_files(language: str) -> None:
    for name in ("roles", "backchannels", "lexicon"):
        assert isinstance(language_data(language, name), dict)
    agent, customer = language_cues(language)
    assert len(agent) >= 10 and len(customer) >= 10
    assert all(w > 0 for _, w, _ in agent + customer)


def test_defaults_combine_the_languages_indonesian_first() -> None:
    id_agent, id_customer = language_cues("id")
    en_agent, _ = language_cues("en")
    assert id_agent + en_agent == AGENT_CUES and CUSTOMER_CUES[: len(id_customer)] == id_customer
    assert {"iya", "hmm", "yeah"} <= BACKCHANNELS and {"pak", "sir"} <= ADDRESS_TERMS


@pytest.mark.parametrize("language", DEFAULT_LANGUAGES)
def test_lexicon_keys_are_single_tokens(language: str) -> None:
    """The lexicon is looked up token by token, so a key with a space could never match ("mohon maap")."""
    keys = list(informal_lexicon(language))
    assert keys and [k for k in keys if len(k.split()) != 1 or k != k.lower()] == []


def test_the_wrong_entries_are_gone() -> None:
    assert "mohon maap" not in informal_lexicon("id")
    assert normalize_text("mohon maap") == "mohon maaf"  # still normalised, by "maap" -> "maaf"
    assert normalize_text("dia orang kaya") == "dia orang kaya"  # rich, not "seperti"
    assert normalize_text("kayak gitu") == "seperti begitu"  # the informal "kayak" still maps


def test_a_language_without_a_lexicon_uses_the_english_one() -> None:
    assert informal_lexicon("ms") == informal_lexicon("en")


def test_a_broken_or_missing_file_names_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import callscore.resources as resources

    (tmp_path / "lang" / "xx").mkdir(parents=True)
    (tmp_path / "lang" / "xx" / "roles.yaml").write_text("- just\n- a list\n")
    monkeypatch.setattr(resources, "data_dir", lambda name: tmp_path)
    resources.language_data.cache_clear()
    try:
        with pytest.raises(LanguageDataError, match=r"xx/roles.yaml: expected a mapping"):
            resources.language_data("xx", "roles")
        with pytest.raises(LanguageDataError, match=r"xx/lexicon.yaml: cannot read"):
            resources.language_data("xx", "lexicon")
    finally:
        resources.language_data.cache_clear()


def test_files_are_plain_yaml_with_comments_saying_what_they_hold() -> None:
    for path in sorted(LANG.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("#"), path
        assert isinstance(yaml.safe_load(text), dict), path
