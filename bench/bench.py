"""Benchmarks for the places people wait: cold start, many reports, a 20 MB report (and the scan, see --scan).

Prints a table with each target beside its measurement and writes bench/results.json. Not a test: it times
things, so it runs by hand (`python bench/bench.py`) and its numbers go into the README.

    python bench/bench.py [--official PATH/report.py] [--runs 15] [--reports 1000] [--scan]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "ready" / "reports" / "README.md"
HEAVY = ("github", "jsonschema", "yaml", "markdown", "nh3", "bleach", "jinja2", "playwright", "requests")


def grow(text: str, size: int) -> str:
    """Return the example report grown to about `size` bytes by repeating its answer paragraphs at the end."""
    paragraphs = [p for p in text.split("\n\n") if len(p) > 300 and not p.startswith(("#", ">"))]
    block = "\n\n".join(paragraphs)
    extra = "\n\n".join([block] * (size // len(block) + 1))
    return (text + "\n\n" + extra)[:size]


def timed(cmd: list[str], cwd: Path | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def installed_python(work: Path) -> str:
    """Build the wheel and install it into a fresh venv (seeing this interpreter's packages), as users get it.

    A checkout reads the TOML question sets; the wheel carries them pre-parsed (hatch_build.py), so the cold
    start is measured on the wheel.
    """
    wheels = work / "wheel"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(wheels), str(ROOT)],
                   check=True, capture_output=True)
    env = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(env)], check=True)
    python = str(env / "bin" / "python")
    wheel = next(wheels.glob("reportcheck-*.whl"))
    # --ignore-installed: a development install of reportcheck may be visible from the base interpreter.
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--ignore-installed",
                    "--no-warn-script-location", str(wheel)], check=True, capture_output=True)
    return python


def cold_check(work: Path, runs: int, official: Path | None) -> dict[str, float | None]:
    """Median wall time of a fresh `reportcheck check` on a 40 KB report, alternating with the course checker.

    Both run with the same interpreter: a venv holding our wheel that also sees this interpreter's packages
    (the course checker's dependencies).
    """
    report = work / "cold" / "reports" / "README.md"
    report.parent.mkdir(parents=True)
    report.write_text(grow(EXAMPLE.read_text(encoding="utf-8"), 40_000), encoding="utf-8")
    python = installed_python(work)
    ours_cmd = [python, "-m", "checker", "check", str(report), "--no-color"]
    ours: list[float] = []
    theirs: list[float] = []
    if official is not None:
        shutil.copy(official, report.parent / "report.py")
    for _ in range(runs):
        ours.append(timed(ours_cmd, cwd=report.parent))
        if official is not None:
            theirs.append(timed([python, "report.py", "check"], cwd=report.parent))
    result: dict[str, float | None] = {"ours_s": statistics.median(ours), "official_s": None, "ratio": None}
    if theirs:
        result["official_s"] = statistics.median(theirs)
        result["ratio"] = result["ours_s"] / result["official_s"]  # type: ignore[operator]
    return result


def cpu_timed(cmd: list[str]) -> tuple[float, float]:
    """Run a command; return its wall time and the CPU time (user + system) it and its children used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = timed(cmd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def git_cost(work: Path, runs: int) -> dict[str, float]:
    """What asking git costs a cold `check`: the same repository with and without `.git`, runs alternating.

    Both copies hold the 40 KB report and every figure it links, so the only difference is the one
    `git ls-files` (and the `subprocess` import) that a check inside a git working tree makes. CPU time
    (the check's and git's) is reported beside wall time: on a shared machine it moves far less.
    """
    python = installed_python(work) if not (work / "venv").exists() else str(work / "venv" / "bin" / "python")
    text = grow(EXAMPLE.read_text(encoding="utf-8"), 40_000)
    folders = {}
    for name in ("plain", "git"):
        folder = work / f"repo-{name}"
        shutil.copytree(EXAMPLE.parent.parent, folder)
        (folder / "reports" / "README.md").write_text(text, encoding="utf-8")
        folders[name] = folder
    subprocess.run(["git", "init", "-q"], cwd=folders["git"], check=True)
    subprocess.run(["git", "add", "-A"], cwd=folders["git"], check=True)
    times: dict[str, list[tuple[float, float]]] = {"plain": [], "git": []}
    for _ in range(runs):
        for name, folder in folders.items():
            times[name].append(cpu_timed([python, "-m", "checker", "check", str(folder), "--no-color"]))
    listing: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(["git", "ls-files", "-z", "--stage"], cwd=folders["git"], capture_output=True, check=True)
        listing.append(time.perf_counter() - start)
    plain = statistics.median(wall for wall, _ in times["plain"])
    git = statistics.median(wall for wall, _ in times["git"])
    plain_cpu = statistics.median(cpu for _, cpu in times["plain"])
    git_cpu = statistics.median(cpu for _, cpu in times["git"])
    return {"plain_s": plain, "git_s": git, "added_s": git - plain, "plain_cpu_s": plain_cpu, "git_cpu_s": git_cpu,
            "added_cpu_s": git_cpu - plain_cpu, "ls_files_s": statistics.median(listing)}


def import_budget(work: Path) -> dict[str, object]:
    """List the modules `reportcheck check` imports, and the heavy ones among them (must be none)."""
    code = "from checker.cli import run; run(['check', sys.argv[1], '--no-color'])"
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", "import sys; " + code, str(EXAMPLE)],
                          capture_output=True, text=True, check=False)
    modules = [line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")]
    modules = [m for m in modules if m and m != "imported package"]
    heavy = sorted({m for m in modules if m.split(".")[0] in HEAVY})
    return {"modules": len(modules), "heavy": heavy}


def throughput(work: Path, count: int) -> dict[str, float]:
    """Reports per second for `check --recursive` with 1 and 2 jobs, against markdown-it-py parsing alone."""
    folder = work / "many"
    base = grow(EXAMPLE.read_text(encoding="utf-8"), 40_000)
    for index in range(count):
        target = folder / f"group_{index:04d}" / "reports" / "README.md"
        target.parent.mkdir(parents=True)
        target.write_text(base.replace("group 7", f"group {index}"), encoding="utf-8")
    floor_code = (
        "import sys, pathlib\nfrom markdown_it import MarkdownIt\n"
        "md = MarkdownIt('commonmark', {'html': True}).enable('table')\n"
        "for p in sorted(pathlib.Path(sys.argv[1]).glob('*/reports/README.md')):\n"
        "    md.parse(p.read_text(encoding='utf-8'))\n"
    )
    floor_cmd = [sys.executable, "-c", floor_code, str(folder)]
    check_cmd = [sys.executable, "-m", "checker", "check", "-r", str(folder), "--format", "json"]
    one_cmd = [*check_cmd, "--jobs", "1", "-o", str(work / "one.json")]
    two_cmd = [*check_cmd, "--jobs", "2", "-o", str(work / "two.json")]
    # Three rounds, alternating, and the median of each: one slow moment on a shared machine moves one sample.
    rounds = [(timed(floor_cmd), timed(one_cmd), timed(two_cmd)) for _ in range(3)]
    floor, one, two = (statistics.median(column) for column in zip(*rounds, strict=True))
    checked = len(json.loads((work / "one.json").read_text()))
    assert checked == count, f"checked {checked} of {count}"
    return {"reports": count, "floor_rps": count / floor, "jobs1_rps": count / one, "jobs2_rps": count / two,
            "jobs1_vs_floor": floor / one, "jobs2_vs_jobs1": one / two}


def big_input(work: Path) -> dict[str, float]:
    """Wall time and peak memory of checking a 20 MB report in a fresh process."""
    report = work / "big" / "reports" / "README.md"
    report.parent.mkdir(parents=True)
    report.write_text(grow(EXAMPLE.read_text(encoding="utf-8"), 20_000_000), encoding="utf-8")
    code = ("import resource, sys\nfrom checker.cli import run\nrc = run(['check', sys.argv[1], '--format', 'json', "
            "'-o', sys.argv[2]])\nprint(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, str(report), str(work / "big.json")], capture_output=True,
                          text=True, check=False)
    seconds = time.perf_counter() - start
    peak_mb = int(done.stdout.strip().splitlines()[-1]) / 1024
    return {"mb": report.stat().st_size / 1e6, "seconds": seconds, "peak_mb": peak_mb}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--official", type=Path, help="the course's report.py, with its dependencies installed")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--scan", action="store_true",
                        help="also scan 300 fake repositories at 50 ms a request, REST against batched (GraphQL)")
    args = parser.parse_args()
    results: dict[str, object] = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cold = cold_check(work, args.runs, args.official)
        with_git = git_cost(work, args.runs)
        budget = import_budget(work)
        many = throughput(work, args.reports)
        big = big_input(work)
    results.update({"cold_check": cold, "git_cost": with_git, "import_budget": budget, "throughput": many,
                    "big_input": big})
    rows = [
        ("cold check, 40 KB report", f"{cold['ours_s']:.3f} s", "<= 0.5 x course checker",
         f"{cold['ratio']:.2f} x ({cold['official_s']:.3f} s)" if cold["ratio"] else "(no --official given)"),
        ("cold check inside git (one `git ls-files`)", f"{with_git['git_s']:.3f} s",
         "one git call, no more", f"+{with_git['added_s'] * 1000:.0f} ms wall, "
         f"+{with_git['added_cpu_s'] * 1000:.0f} ms CPU over no git "
         f"(the call alone {with_git['ls_files_s'] * 1000:.1f} ms)"),
        ("imports of `check`", f"{budget['modules']} modules", "no PyGithub/jsonschema/YAML/HTML libs",
         "none" if not budget["heavy"] else ", ".join(budget["heavy"])),
        (f"throughput, {many['reports']} reports, --jobs 1", f"{many['jobs1_rps']:.0f} reports/s",
         ">= 0.7 x parse-only floor", f"{many['jobs1_vs_floor']:.2f} x (floor {many['floor_rps']:.0f}/s)"),
        ("throughput, --jobs 2", f"{many['jobs2_rps']:.0f} reports/s", ">= 1.6 x --jobs 1",
         f"{many['jobs2_vs_jobs1']:.2f} x"),
        (f"big input, {big['mb']:.0f} MB report", f"{big['seconds']:.2f} s, {big['peak_mb']:.0f} MB peak",
         "< 5 s, < 300 MB", "met" if big["seconds"] < 5 and big["peak_mb"] < 300 else "NOT met"),
    ]
    if args.scan:
        sys.path.insert(0, str(ROOT / "bench"))
        from scan_bench import measure

        scans = measure(repos=300, latency=0.05, jobs=[8], apis=["rest", "graphql"], rate=0.0)
        results["scan"] = scans
        for run in scans:
            api = "batched" if run["api"] == "graphql" else "REST"
            rows.append((f"scan, {run['repos']} repos, {api} {run['run']}",
                         f"{run['requests']} requests, {run['wall_s']:.1f} s", run["target"],
                         "met" if run["met"] else "NOT met"))
    widths = [max(len(str(row[i])) for row in rows) for i in range(4)]
    header = ("measure", "result", "target", "against target")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
