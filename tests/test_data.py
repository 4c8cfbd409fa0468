"""Dataset files: CLI, manifest, checked loading, atomic writes, clear errors."""

import json
import os
import shutil

import numpy as np
import pytest

from source_helpers import data
from source_helpers.data import DatasetError, ensure_dataset, generate_dataset, load_split, verify_dataset
from source_helpers.physics import sample_events, squared_amplitude


@pytest.fixture
def dataset_copy(small_dataset, tmp_path):
    dst = tmp_path / "ds"
    shutil.copytree(small_dataset, dst)
    return dst


def test_files_and_manifest(small_dataset):
    names = sorted(p.name for p in small_dataset.iterdir())
    assert names == sorted(["manifest.json"] + [f"{s}_{k}.npy" for s in ("trn", "val", "tst") for k in ("dat", "amp")])
    m = json.loads((small_dataset / "manifest.json").read_text())
    assert m["seed"] == 99 and m["events_per_split"] == 400
    assert m["cuts"]["name"] == "2106.09474" and m["couplings"]["alpha_s"] == 0.118
    assert m["package_version"]
    for name, entry in m["files"].items():
        assert entry["sha256"] == data.sha256_file(small_dataset / name)


def test_round_trip_matches_generator(small_dataset):
    for split, ss in data.split_seeds(99).items():
        dat, amp = load_split(small_dataset, split)
        assert dat.shape == (400, 5, 4) and amp.shape == (400,)
        assert dat.dtype == amp.dtype == np.float64
        np.testing.assert_array_equal(dat, sample_events(400, ss))
        np.testing.assert_allclose(amp, squared_amplitude(dat), rtol=1e-14)


def test_splits_are_disjoint(small_dataset):
    rows = [{r.tobytes() for r in load_split(small_dataset, s)[0]} for s in ("trn", "val", "tst")]
    assert not (rows[0] & rows[1]) and not (rows[0] & rows[2]) and not (rows[1] & rows[2])


def test_generation_is_deterministic(small_dataset, tmp_path):
    again = tmp_path / "again"
    generate_dataset(again, events_per_split=400, seed=99, progress=False)
    assert (again / "manifest.json").read_text() == (small_dataset / "manifest.json").read_text()


def test_missing_dataset_names_the_command(tmp_path):
    with pytest.raises(DatasetError, match="python -m source_helpers.data --out"):
        load_split(tmp_path / "nothing", "trn")


def test_missing_file(dataset_copy):
    (dataset_copy / "val_amp.npy").unlink()
    with pytest.raises(DatasetError, match=r"val_amp\.npy is missing.*\n.*--events-per-split 400 --seed 99"):
        load_split(dataset_copy, "val")


def test_checksum_mismatch(dataset_copy):
    amp = np.load(dataset_copy / "trn_amp.npy")
    amp[3] *= 1.0000001
    np.save(dataset_copy / "trn_amp.npy", amp)
    with pytest.raises(DatasetError, match=r"trn_amp\.npy does not match its checksum"):
        load_split(dataset_copy, "trn")


def _replace_and_rehash(path, name, array):
    np.save(path / name, array)
    m = json.loads((path / "manifest.json").read_text())
    m["files"][name]["sha256"] = data.sha256_file(path / name)
    (path / "manifest.json").write_text(json.dumps(m))


def test_wrong_shape(dataset_copy):
    dat = np.load(dataset_copy / "tst_dat.npy")
    _replace_and_rehash(dataset_copy, "tst_dat.npy", dat.reshape(len(dat), 20))
    with pytest.raises(DatasetError, match=r"shape \(N, 5, 4\)"):
        load_split(dataset_copy, "tst")


def test_mismatched_lengths(dataset_copy):
    amp = np.load(dataset_copy / "tst_amp.npy")
    _replace_and_rehash(dataset_copy, "tst_amp.npy", amp[:-1])
    with pytest.raises(DatasetError, match="to match the momenta"):
        load_split(dataset_copy, "tst")


def test_nan(dataset_copy):
    amp = np.load(dataset_copy / "trn_amp.npy")
    amp[17] = np.nan
    _replace_and_rehash(dataset_copy, "trn_amp.npy", amp)
    with pytest.raises(DatasetError, match="event 17 contain NaN"):
        load_split(dataset_copy, "trn")


def test_unknown_split(small_dataset):
    with pytest.raises(ValueError, match="unknown split"):
        load_split(small_dataset, "train")


def test_interrupted_write_leaves_no_file(tmp_path, monkeypatch):
    def exploding_save(f, arr, allow_pickle=False):
        f.write(b"\x93NUMPY partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "save", exploding_save)
    with pytest.raises(KeyboardInterrupt):
        data.save_array(tmp_path / "x.npy", np.zeros(3))
    assert list(tmp_path.iterdir()) == []


def test_interrupted_generation_is_detected(dataset_copy, monkeypatch):
    # a run that dies after the first split leaves no manifest vouching for stale files
    calls = {"n": 0}
    real = data.save_array

    def dying_save(target, arr):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        real(target, arr)

    monkeypatch.setattr(data, "save_array", dying_save)
    with pytest.raises(KeyboardInterrupt):
        generate_dataset(dataset_copy, events_per_split=50, seed=1, progress=False)
    assert not (dataset_copy / "manifest.json").exists()
    assert not [p for p in dataset_copy.iterdir() if p.name.endswith(".part")]
    with pytest.raises(DatasetError, match="manifest.json is missing"):
        load_split(dataset_copy, "trn")


def test_ensure_dataset_generates_then_reuses(tmp_path):
    path = tmp_path / "d"
    ensure_dataset(path, events_per_split=30, seed=5, progress=False)
    stamp = os.stat(path / "trn_dat.npy").st_mtime_ns
    assert ensure_dataset(path, events_per_split=30, seed=5, progress=False) == path
    assert os.stat(path / "trn_dat.npy").st_mtime_ns == stamp  # not regenerated
    verify_dataset(path, 30, 5)
    with pytest.raises(DatasetError, match="not 31"):
        verify_dataset(path, 31, 5)


def test_find_data_dir_walks_up(small_dataset, tmp_path, monkeypatch):
    course = tmp_path / "course"
    shutil.copytree(small_dataset, course / "datasets" / "tutorial-1-data")
    deep = course / "autograded" / "alice" / "ps1"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    monkeypatch.delenv(data.DATA_DIR_ENV, raising=False)
    assert data.find_data_dir() == (course / "datasets" / "tutorial-1-data").resolve()
    monkeypatch.setenv(data.DATA_DIR_ENV, str(tmp_path / "elsewhere"))
    assert data.find_data_dir() == tmp_path / "elsewhere"


def test_cli(tmp_path, capsys):
    out = tmp_path / "cli"
    assert data.main(["--out", str(out), "--events-per-split", "40", "--seed", "3", "--quiet"]) == 0
    text = capsys.readouterr().out
    assert "trn:     40 events" in text and "mean gluon pT" in text
    verify_dataset(out, 40, 3)
    assert data.main(["--out", str(out), "--events-per-split", "40", "--seed", "3"]) == 0
    assert "already" in capsys.readouterr().out
    assert data.main(["--out", str(out), "--events-per-split", "0"]) == 2
