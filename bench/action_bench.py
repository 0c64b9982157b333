"""Time the GitHub Action as a runner runs it: a cold cache (first push) and a warm one (every push after).

action.yml's own steps run through tests/ghrunner.py (bash, GITHUB_* files, `if:`), in a workspace holding the
40 KB report of bench.py, installing from PyPI for real. The cache steps are GitHub's: they are simulated on a
local store, so a warm run's restore is a local copy of the saved environment. GitHub's download and unpacking
of that archive is not in the figure; its size and the time to unpack it locally (tar + zstd, as actions/cache
packs it) are printed beside it. Every job starts from an empty RUNNER_TEMP at the same place, as on GitHub.

    python bench/action_bench.py [--runs 3] [--uv PATH/TO/uv] [--before GIT-REF]

`--uv` puts that uv on PATH for one more cold run (standing for `astral-sh/setup-uv` before the action);
`--before` also times the action.yml of that commit (e.g. the one before the cached environment).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench import EXAMPLE, grow  # noqa: E402
from tests.ghrunner import ActionRun, Runner  # noqa: E402


def workspace(folder: Path) -> Path:
    """Lay out a group's repository: the ready example with its report grown to 40 KB."""
    shutil.copytree(ROOT / "examples" / "ready", folder)
    (folder / "reports" / "README.md").write_text(grow(EXAMPLE.read_text(encoding="utf-8"), 40_000),
                                                  encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    return folder


def job(space: Path, temp: Path, cache: Path, action: Path | None, env: dict[str, str]) -> tuple[float, ActionRun]:
    """Run one job of the action on a fresh RUNNER_TEMP; return its wall time and what it left."""
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir(parents=True)
    # A fresh runner has no download caches of its own either (only what actions/cache brings back).
    env = {**env, "PIP_CACHE_DIR": str(temp / "home" / "pip"), "UV_CACHE_DIR": str(temp / "home" / "uv")}
    runner = Runner(space, temp, env, cache=cache, action=action)
    started = time.perf_counter()
    done = runner.run()
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"the action failed:\n{done.log}")
    return seconds, done


def plain_check(python: str, space: Path) -> float:
    """Median wall time of one plain `reportcheck check` with the action's environment, in the workspace."""
    script = Path(python).with_name("reportcheck")
    times = []
    for _ in range(7):
        started = time.perf_counter()
        subprocess.run([str(script), "check", "reports/README.md"], cwd=space, stdout=subprocess.DEVNULL,
                       check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def archive(venv: Path, work: Path) -> dict[str, float]:
    """Pack the environment as actions/cache does (tar + zstd) and time unpacking it locally."""
    packed = work / "cache.tzst"
    subprocess.run(["tar", "--zstd", "-cf", str(packed), "-C", str(venv.parent), venv.name], check=True)
    target = work / "unpacked"
    target.mkdir()
    started = time.perf_counter()
    subprocess.run(["tar", "--zstd", "-xf", str(packed), "-C", str(target)], check=True)
    return {"mb": packed.stat().st_size / 1e6, "unpack_s": time.perf_counter() - started}


def scenario(work: Path, name: str, runs: int, action: Path | None, env: dict[str, str]) -> dict[str, object]:
    """Time `runs` cold jobs (empty cache) and `runs` warm ones (the cache the first job saved)."""
    space = workspace(work / name / "workspace")
    temp = work / name / "runner-temp"
    cold, warm = [], []
    done: ActionRun | None = None
    for attempt in range(runs):
        cache = work / name / f"cache-{attempt}"
        seconds, done = job(space, temp, cache, action, env)
        cold.append(seconds)
    assert done is not None
    cold_steps = done.seconds
    for _ in range(runs):
        seconds, done = job(space, temp, cache, action, env)
        warm.append(seconds)
    return {"cold_s": statistics.median(cold), "warm_s": statistics.median(warm), "cold_steps": cold_steps,
            "warm_steps": done.seconds, "run": done, "temp": temp}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="jobs per figure (the median is printed)")
    parser.add_argument("--uv", type=Path, help="a uv binary: one more cold run with it on PATH")
    parser.add_argument("--before", help="also time the action.yml of this git commit")
    args = parser.parse_args()
    base_env = {"PATH": os.environ["PATH"]}
    rows: list[tuple[str, str, str, str]] = []
    figures: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.before:
            old = work / "action-before.yml"
            old.write_text(subprocess.run(["git", "-C", str(ROOT), "show", f"{args.before}:action.yml"],
                                          capture_output=True, text=True, check=True).stdout, encoding="utf-8")
            before = scenario(work, "before", args.runs, old, base_env)
            figures["before"] = {k: before[k] for k in ("cold_s", "warm_s")}
            rows.append((f"action.yml of {args.before}, cold", f"{before['cold_s']:.2f} s", "", ""))
            rows.append((f"action.yml of {args.before}, warm (pip cache)", f"{before['warm_s']:.2f} s", "", ""))
        now = scenario(work, "now", args.runs, None, base_env)
        run = now["run"]
        assert isinstance(run, ActionRun)
        python = run.steps["env"]["python"]
        plain = plain_check(python, work / "now" / "workspace")
        packed = archive(Path(run.steps["env"]["venv"]), work)
        warm_ratio = float(now["warm_s"]) / plain  # type: ignore[arg-type]
        figures["now"] = {"cold_s": now["cold_s"], "warm_s": now["warm_s"], "plain_check_s": plain,
                          "warm_vs_check": warm_ratio, "cache_mb": packed["mb"], "unpack_s": packed["unpack_s"],
                          "installer": run.steps["env"]["installer"],
                          "cold_steps": now["cold_steps"], "warm_steps": now["warm_steps"]}
        rows.append((f"action, cold (install with {run.steps['env']['installer']})", f"{now['cold_s']:.2f} s",
                     "as fast as a fresh install", ""))
        restore = sum(seconds for label, seconds in now["warm_steps"] if label.startswith("Restore"))  # type: ignore[attr-defined]
        figures["now"]["restore_copy_s"] = restore  # type: ignore[index]
        rows.append(("action, warm (environment restored)", f"{now['warm_s']:.2f} s",
                     "<= 10 x one plain check", f"{warm_ratio:.1f} x ({plain:.3f} s)"))
        rows.append(("  of which the restore, here a local copy", f"{restore:.2f} s", "", ""))
        rows.append(("  GitHub's restore instead: archive, unpacked locally", f"{packed['mb']:.1f} MB, "
                     f"{packed['unpack_s']:.2f} s", "", "download not measured"))
        if args.uv:
            bindir = work / "uv-bin"
            bindir.mkdir()
            shutil.copy(args.uv, bindir / "uv")
            with_uv = scenario(work, "uv", args.runs, None, {"PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}"})
            figures["uv"] = {"cold_s": with_uv["cold_s"], "warm_s": with_uv["warm_s"]}
            rows.append(("action, cold, uv on PATH (setup-uv)", f"{with_uv['cold_s']:.2f} s",
                         "as fast as a fresh install", "uv's own download not measured"))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    header = ("measure", "result", "target", "against target")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    for name, key in (("cold", "cold_steps"), ("warm", "warm_steps")):
        steps = figures["now"][key]  # type: ignore[index]
        print(f"{name} steps: " + ", ".join(f"{label} {seconds:.2f} s" for label, seconds in steps))
    results = ROOT / "bench" / "action_results.json"
    results.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
