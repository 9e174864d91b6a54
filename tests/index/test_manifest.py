"""The manifest's one JSON form: what askurbact has always written, read back and written again
byte for byte, and a clear refusal of a damaged one."""

import json

import pytest

from askurbact.errors import IndexProblem
from askurbact.index.format import current_generation
from askurbact.index.freshness import check_freshness
from askurbact.index.manifest import FileState, Manifest
from askurbact.index.reader import IndexReader
from askurbact.index.writer import update_index


def _dumped(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)  # as the writer writes manifest.json


def _dict_shaped(written: dict) -> dict:
    """The manifest as the writer built it while it was a bare dict: the segments' part, then
    the run's fields added in this order."""
    manifest = {"slots": written["slots"],
                "segments": [{"name": s["name"], "first": s["first"], "slots": s["slots"], "files": s["files"]}
                             for s in written["segments"]]}
    manifest.update({
        "format": written["format"], "analysis": written["analysis"], "params": written["params"],
        "built_at": written["built_at"], "documents": written["documents"], "passages": written["passages"],
        "langs": written["langs"],
        "files": {rel: {"size": e["size"], "mtime_ns": e["mtime_ns"], "ctime_ns": e["ctime_ns"],
                        "sha256": e["sha256"], "key": e["key"], "reader": e["reader"]}
                  for rel, e in written["files"].items()},
        "skipped_files": {rel: {"size": e["size"], "mtime_ns": e["mtime_ns"], "ctime_ns": e["ctime_ns"],
                                "reason": e["reason"]} for rel, e in written["skipped_files"].items()},
        "checked_ns": written["checked_ns"],
    })
    return manifest


def _manifest_path(settings):
    return current_generation(settings.index) / "manifest.json"


def test_written_manifest_is_the_dict_shape_byte_for_byte(settings, corpus):
    (corpus / "broken.md").write_bytes(b"\xff\xfe\x00bad")  # a skipped file, recorded too
    update_index(settings, jobs=1)
    text = _manifest_path(settings).read_text(encoding="utf-8")
    written = json.loads(text)
    assert written["files"] and written["checked_ns"]
    assert text == _dumped(_dict_shaped(written))
    assert _dumped(Manifest.from_json(written).to_json()) == text


def test_index_with_a_dict_shaped_manifest_is_fresh_and_not_reread(settings):
    update_index(settings, jobs=1)
    path = _manifest_path(settings)
    path.write_text(_dumped(_dict_shaped(json.loads(path.read_text(encoding="utf-8")))), encoding="utf-8")
    before = json.loads(path.read_text(encoding="utf-8"))
    assert check_freshness(settings).fresh
    assert IndexReader(settings.index).n_passages > 0
    report = update_index(settings, jobs=1)
    assert report.added == report.updated == report.removed == 0 and not report.rebuilt_base
    # (a new generation only when a file was racy: it settles the check time; its files are the same)
    after = json.loads(_manifest_path(settings).read_text(encoding="utf-8"))
    assert after["files"] == before["files"] and after["segments"] == before["segments"]


def test_file_states_read_back_typed(settings):
    update_index(settings, jobs=1)
    manifest = Manifest.from_json(json.loads(_manifest_path(settings).read_text(encoding="utf-8")))
    state = next(iter(manifest.files.values()))
    assert isinstance(state, FileState) and len(state.sha256) == 64 and state.reader
    assert sum(s.slots for s in manifest.segments) == manifest.slots


@pytest.mark.parametrize("damage", [
    lambda m: m["files"][next(iter(m["files"]))].update(size="big"),
    lambda m: m["files"][next(iter(m["files"]))].pop("key"),
    lambda m: m.update(segments=m["segments"] * 3),
    lambda m: m["segments"][0].update(first=None),
    lambda m: m.pop("files"),
    lambda m: m.update(params=[1.5]),
])
def test_damaged_manifest_is_refused_clearly_and_rebuilt(settings, damage):
    update_index(settings, jobs=1)
    path = _manifest_path(settings)
    data = json.loads(path.read_text(encoding="utf-8"))
    damage(data)
    with pytest.raises(IndexProblem, match=r"manifest is damaged .*askurbact index --full"):
        Manifest.from_json(data)
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(IndexProblem, match="askurbact index --full"):
        IndexReader(settings.index)
    report = update_index(settings, jobs=1)  # a damaged manifest cannot guide an update: rebuilt
    assert report.rebuilt_base and report.added > 0
    assert check_freshness(settings).fresh


def test_manifest_of_an_older_format_reads_as_outdated(settings):
    update_index(settings, jobs=1)
    path = _manifest_path(settings)
    path.write_text(json.dumps({"format": 1, "analysis": {"name": "askurbact-old"}}), encoding="utf-8")
    assert Manifest.from_json(json.loads(path.read_text())).format == 1
    assert check_freshness(settings).outdated


def test_an_index_of_the_previous_release_is_rebuilt_not_called_damaged(settings, tmp_path):
    """The previous release wrote format 8: its manifest has no ctime_ns, checked_ns or reader,
    its documents no format. An upgraded askurbact rebuilds it on the next ask, by itself."""
    from askurbact.core import Assistant

    update_index(settings, jobs=1)
    path = current_generation(settings.index) / "manifest.json"
    old = json.loads(path.read_text(encoding="utf-8"))
    old["format"] = 8
    old.pop("checked_ns", None)
    for entry in old["files"].values():
        entry.pop("ctime_ns", None)
        entry.pop("reader", None)
    path.write_text(_dumped(old), encoding="utf-8")
    notes: list[str] = []
    assistant = Assistant(settings, notify=notes.append)
    assistant.ensure_index()
    assert any("another version" in n for n in notes), notes
    assert assistant.ask("What was created in Kavala?").found
