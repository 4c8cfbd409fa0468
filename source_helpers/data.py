"""The tutorial's dataset: generation, manifest, checked loading.

One path for data: `sample_events` (phase space with cuts) -> `squared_amplitude` (exact
one-loop |M|^2) -> files in a dataset directory:

    trn_dat.npy  val_dat.npy  tst_dat.npy   float64 (N, 5, 4)  momenta in GeV (LAB frame)
    trn_amp.npy  val_amp.npy  tst_amp.npy   float64 (N,)       |M|^2 in GeV^-2
    manifest.json                            seed, cuts, couplings, counts, version, sha256s

Command line (the README's data step)::

    python -m source_helpers.data --out datasets/tutorial-1-data --events-per-split 30000 --seed 1234

Every file is written to a temporary name and renamed into place, and the manifest is written
last: an interrupted run never leaves a file that looks complete.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from . import __version__
from .physics import squared_amplitude
from .physics.amplitudes import ALPHA_DEFAULT, ALPHA_S_DEFAULT
from .physics.phase_space import DEFAULT_CUTS, get_cuts, sample_events, transverse_momentum

SPLITS = ("trn", "val", "tst")
DEFAULT_DIR = Path("datasets") / "tutorial-1-data"
DEFAULT_EVENTS = 30_000
DEFAULT_SEED = 1234
MANIFEST = "manifest.json"
DATA_DIR_ENV = "BAYES_AMP_DATA_DIR"
FORMAT_VERSION = 1
_AMP_BLOCK = 8192  # events per amplitude call (progress-bar granularity)


class DatasetError(ValueError):
    """A dataset file is missing, corrupt or malformed; the message says how to regenerate it."""


def regenerate_command(path, events_per_split: int = DEFAULT_EVENTS, seed: int = DEFAULT_SEED) -> str:
    return (
        f"python -m source_helpers.data --out {path} --events-per-split {events_per_split} --seed {seed} --force"
    )


def file_names(split: str) -> tuple[str, str]:
    """(momenta file, amplitude file) of a split, e.g. ('trn_dat.npy', 'trn_amp.npy')."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; choose one of {SPLITS}")
    return f"{split}_dat.npy", f"{split}_amp.npy"


def sha256_file(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _atomic_write(target: Path, write) -> None:
    """Write through ``write(fileobj)`` to a temporary file beside ``target``, then rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def save_array(target, array: np.ndarray) -> None:
    """np.save ``array`` to ``target`` atomically."""
    _atomic_write(Path(target), lambda f: np.save(f, array, allow_pickle=False))


def split_seeds(seed: int) -> dict[str, np.random.SeedSequence]:
    """Independent, disjoint random streams for the three splits, derived from one seed."""
    children = np.random.SeedSequence(seed).spawn(len(SPLITS))
    return dict(zip(SPLITS, children))


def _amplitudes_with_progress(momenta, alpha, alpha_s, desc, progress):
    out = np.empty(len(momenta))
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(momenta), desc=desc, unit="ev", leave=False, file=sys.stderr)
    for start in range(0, len(momenta), _AMP_BLOCK):
        block = momenta[start : start + _AMP_BLOCK]
        out[start : start + len(block)] = squared_amplitude(block, alpha, alpha_s)
        if bar is not None:
            bar.update(len(block))
    if bar is not None:
        bar.close()
    return out


def generate_dataset(
    out=DEFAULT_DIR,
    events_per_split: int = DEFAULT_EVENTS,
    seed: int = DEFAULT_SEED,
    cuts: str = DEFAULT_CUTS,
    alpha: float = ALPHA_DEFAULT,
    alpha_s: float = ALPHA_S_DEFAULT,
    progress: bool = True,
) -> dict:
    """Generate the three splits into directory ``out`` and return the manifest (a dict).

    Each split has ``events_per_split`` events from its own random stream (`split_seeds`).
    """
    if int(events_per_split) != events_per_split or events_per_split < 1:
        raise ValueError(f"events_per_split must be a positive integer, got {events_per_split!r}")
    out = Path(out)
    cut_set = get_cuts(cuts)
    out.mkdir(parents=True, exist_ok=True)
    manifest_path = out / MANIFEST
    if manifest_path.exists():
        manifest_path.unlink()  # the old manifest must not vouch for half-replaced files
    t0 = time.perf_counter()
    files, acceptance = {}, {}
    for split, ss in split_seeds(seed).items():
        dat, stats = sample_events(events_per_split, ss, cut_set, return_stats=True)
        amp = _amplitudes_with_progress(dat, alpha, alpha_s, f"|M|^2 {split}", progress)
        acceptance[split] = stats["accepted"] / stats["generated"]
        for name, arr in zip(file_names(split), (dat, amp)):
            save_array(out / name, arr)
            files[name] = {"sha256": sha256_file(out / name), "shape": list(arr.shape), "dtype": str(arr.dtype)}
    manifest = {
        "format": FORMAT_VERSION,
        "process": "g g -> gamma gamma g, one-loop massless quark loop (n_f = 5), |M|^2 summed/averaged",
        "package_version": __version__,
        "seed": int(seed),
        "split_streams": {s: {"entropy": int(seed), "spawn_key": list(ss.spawn_key)} for s, ss in split_seeds(seed).items()},
        "events_per_split": int(events_per_split),
        "cuts": cut_set.as_dict(),
        "couplings": {"alpha": alpha, "alpha_s": alpha_s, "n_f": 5},
        "units": {"dat": "GeV, (E, px, py, pz), LAB frame", "amp": "GeV^-2"},
        "row_order": ["g_in (+z)", "g_in (-z)", "photon (leading pT)", "photon (subleading pT)", "g_out"],
        "acceptance": acceptance,
        "files": files,
    }
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    _atomic_write(manifest_path, lambda f: f.write(text.encode()))
    manifest["_seconds"] = time.perf_counter() - t0
    return manifest


def read_manifest(path) -> dict:
    path = Path(path)
    mpath = path / MANIFEST
    if not mpath.is_file():
        raise DatasetError(
            f"no dataset at {path}: {mpath} is missing (the data is generated, not downloaded). "
            f"Create it with:\n    {regenerate_command(path)}"
        )
    try:
        return json.loads(mpath.read_text())
    except json.JSONDecodeError as err:
        raise DatasetError(f"{mpath} is not valid JSON ({err}); regenerate with:\n    {regenerate_command(path)}") from None


def _check_file(path: Path, name: str, manifest: dict) -> np.ndarray:
    regen = regenerate_command(path, manifest.get("events_per_split", DEFAULT_EVENTS), manifest.get("seed", DEFAULT_SEED))
    fpath = path / name
    entry = manifest.get("files", {}).get(name)
    if entry is None:
        raise DatasetError(f"{fpath}: not listed in {path / MANIFEST}; regenerate with:\n    {regen}")
    if not fpath.is_file():
        raise DatasetError(f"{fpath} is missing; regenerate the dataset with:\n    {regen}")
    digest = sha256_file(fpath)
    if digest != entry["sha256"]:
        raise DatasetError(
            f"{fpath} does not match its checksum in {MANIFEST} (sha256 {digest[:12]}... != "
            f"{entry['sha256'][:12]}...): the file was modified or is corrupt. Regenerate with:\n    {regen}"
        )
    try:
        arr = np.load(fpath, allow_pickle=False)
    except Exception as err:  # noqa: BLE001 - any unreadable file gets the same advice
        raise DatasetError(f"{fpath} cannot be read as a .npy file ({err}); regenerate with:\n    {regen}") from None
    return arr


def check_arrays(dat: np.ndarray, amp: np.ndarray, where: str = "dataset") -> None:
    """Raise DatasetError unless dat is finite float (N, 5, 4) and amp finite positive (N,)."""
    if dat.ndim != 3 or dat.shape[1:] != (5, 4):
        raise DatasetError(f"{where}: momenta must have shape (N, 5, 4), got {dat.shape}")
    if amp.shape != (dat.shape[0],):
        raise DatasetError(f"{where}: amplitudes must have shape ({dat.shape[0]},) to match the momenta, got {amp.shape}")
    for label, arr in (("momenta", dat), ("amplitudes", amp)):
        bad = ~np.isfinite(arr.reshape(len(arr), -1)).all(axis=1)
        if bad.any():
            raise DatasetError(f"{where}: {label} of event {int(np.argmax(bad))} contain NaN or inf ({int(bad.sum())} events affected)")
    if (amp <= 0).any():
        raise DatasetError(f"{where}: amplitude of event {int(np.argmax(amp <= 0))} is not positive; |M|^2 > 0 always")


def load_split(path=DEFAULT_DIR, split: str = "trn") -> tuple[np.ndarray, np.ndarray]:
    """Load one split as (momenta (N, 5, 4), amplitudes (N,)), float64, after checking it.

    Checks that the manifest lists the files, that their sha256 match, and the shapes, dtypes
    and values (finite; amplitudes positive). Raises DatasetError naming the file and the
    command that regenerates the dataset.
    """
    path = Path(path)
    manifest = read_manifest(path)
    dat_name, amp_name = file_names(split)
    dat = _check_file(path, dat_name, manifest)
    amp = _check_file(path, amp_name, manifest)
    check_arrays(dat, amp, where=f"{path}/{split}")
    return dat, amp


def verify_dataset(path, events_per_split: int | None = None, seed: int | None = None) -> dict:
    """Check every split of the dataset at ``path`` (and optionally its size and seed)."""
    manifest = read_manifest(path)
    if events_per_split is not None and manifest.get("events_per_split") != events_per_split:
        raise DatasetError(f"{path} holds {manifest.get('events_per_split')} events per split, not {events_per_split}")
    if seed is not None and manifest.get("seed") != seed:
        raise DatasetError(f"{path} was generated with seed {manifest.get('seed')}, not {seed}")
    for split in SPLITS:
        load_split(path, split)
    return manifest


def find_data_dir(default=DEFAULT_DIR) -> Path:
    """Where the dataset lives: $BAYES_AMP_DATA_DIR if set; else the first ``default`` found in
    the working directory or one of its parents (so notebooks run from a subfolder, or graded in
    ``autograded/<student>/<assignment>/``, share the course's dataset); else ``default`` in the
    course root (the nearest parent with ``nbgrader_config.py``); else ``./default``."""
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env)
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / default / MANIFEST).is_file():
            return folder / default
    for folder in (here, *here.parents):
        if (folder / "nbgrader_config.py").is_file():
            return folder / default
    return here / default


def ensure_dataset(
    path=None, events_per_split: int = DEFAULT_EVENTS, seed: int = DEFAULT_SEED, progress: bool = True
) -> Path:
    """Return the dataset directory, generating the dataset first if it is missing or invalid.

    path: the dataset directory; None means `find_data_dir()`.
    """
    path = find_data_dir() if path is None else Path(path)
    try:
        verify_dataset(path, events_per_split, seed)
        return path
    except DatasetError as err:
        if progress:
            print(f"generating the dataset in {path} ({err.args[0].splitlines()[0]})", file=sys.stderr)
    generate_dataset(path, events_per_split, seed, progress=progress)
    return path


def summary(path=DEFAULT_DIR) -> str:
    """Human-readable summary of a dataset: counts, amplitude range, mean outgoing-gluon pT."""
    manifest = read_manifest(path)
    lines = [f"dataset {path} (seed {manifest['seed']}, cuts {manifest['cuts']['name']}, "
             f"alpha = 1/{1 / manifest['couplings']['alpha']:.0f}, alpha_s = {manifest['couplings']['alpha_s']})"]
    for split in SPLITS:
        dat, amp = load_split(path, split)
        lines.append(
            f"  {split}: {len(amp):6d} events, |M|^2 in [{amp.min():.3e}, {amp.max():.3e}] GeV^-2, "
            f"median {np.median(amp):.3e}, mean gluon pT {transverse_momentum(dat[:, 4]).mean():.2f} GeV, "
            f"acceptance {manifest['acceptance'][split]:.3f}"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m source_helpers.data", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(DEFAULT_DIR), help="dataset directory (default: %(default)s)")
    parser.add_argument("--events-per-split", type=int, default=DEFAULT_EVENTS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--cuts", default=DEFAULT_CUTS, help="cut set name (default: %(default)s)")
    parser.add_argument("--force", action="store_true", help="regenerate even if a valid dataset exists")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    out = Path(args.out)
    try:
        if not args.force and args.cuts == DEFAULT_CUTS:
            try:
                verify_dataset(out, args.events_per_split, args.seed)
                print(f"valid dataset already in {out} (use --force to regenerate)")
                print(summary(out))
                return 0
            except DatasetError:
                pass
        generate_dataset(out, args.events_per_split, args.seed, args.cuts, progress=not args.quiet)
    except (ValueError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(summary(out))
    print(f"generated in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
