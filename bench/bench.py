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
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "ready" / "reports" / "README.md"
HEAVY = ("github", "jsonschema", "yaml", "markdown", "nh3", "bleach", "jinja2", "playwright", "requests", "click",
         "_hashlib", "zipfile")


def grow(text: str, size: int) -> str:
    """Return the example report grown to about `size` bytes by repeating its answer paragraphs at the end."""
    paragraphs = [p for p in text.split("\n\n") if len(p) > 300 and not p.startswith(("#", ">"))]
    block = "\n\n".join(paragraphs)
    extra = "\n\n".join([block] * (size // len(block) + 1))
    return (text + "\n\n" + extra)[:size]


# The timed processes run what is installed in their venv: a PYTHONPATH (a checkout) must not come first.
CLEAN_ENV = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}


def timed(cmd: list[str], cwd: Path | None = None) -> float:
    """Return the wall time of one run of cmd, in a fresh process."""
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=CLEAN_ENV)
    return time.perf_counter() - start


def installed_python(work: Path) -> tuple[str, str]:
    """Build the wheel and install it into a fresh venv, as users get it; return (python, reportcheck script).

    A checkout reads the TOML question sets; the wheel carries them pre-parsed (hatch_build.py), so the cold
    start is measured on the wheel. The venv does not inherit this interpreter's site-packages as such: a
    path-only .pth file makes its packages (markdown-it-py, click, the course checker's) importable without
    running its start-up hooks (.pth files that import modules on every start), which a user's or a runner's
    Python does not have and which would slow both sides of every ratio alike.
    """
    wheels = work / "wheel"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(wheels), str(ROOT)],
                   check=True, capture_output=True)
    env = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    python = str(env / "bin" / "python")
    wheel = next(wheels.glob("reportcheck-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", "--no-index",
                    "--no-warn-script-location", str(wheel)], check=True, capture_output=True)
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          capture_output=True, text=True, check=True).stdout.strip()
    base = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    Path(site, "_bench_base_site.pth").write_text("".join(f"{path}\n" for path in sorted(base)), encoding="utf-8")
    return python, str(env / "bin" / "reportcheck")


# The floor of any markdown checker: start Python, import markdown-it-py, parse the report once (the parser
# reportcheck uses, with everything enabled).
FLOOR = ("import sys\nfrom markdown_it import MarkdownIt\n"
         "MarkdownIt('commonmark', {'html': True}).enable('table').parse(open(sys.argv[1], encoding='utf-8').read())\n")


def cold_check(work: Path, runs: int, official: Path | None) -> dict[str, float | None]:
    """Median wall times of a fresh `reportcheck check` on a 40 KB report, the floor, and the course checker.

    All run alternately with the same interpreter (the venv of `installed_python`); `check PATH` is what the
    pre-commit hook runs, `check --format text PATH` the same through click's option parsing.
    """
    report = work / "cold" / "reports" / "README.md"
    report.parent.mkdir(parents=True)
    report.write_text(grow(EXAMPLE.read_text(encoding="utf-8"), 40_000), encoding="utf-8")
    python, script = installed_python(work)
    commands = {
        "ours": [script, "check", str(report)],
        "with_option": [script, "check", "--format", "text", str(report)],
        "floor": [python, "-c", FLOOR, str(report)],
    }
    if official is not None:
        shutil.copy(official, report.parent / "report.py")
        commands["official"] = [python, "report.py", "check"]
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            times[name].append(timed(cmd, cwd=report.parent))
    median = {name: statistics.median(values) for name, values in times.items()}
    return {
        "ours_s": median["ours"],
        "with_option_s": median["with_option"],
        "floor_s": median["floor"],
        "vs_floor": median["ours"] / median["floor"],
        "official_s": median.get("official"),
        "ratio": median["ours"] / median["official"] if "official" in median else None,
    }


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
    python = str(work / "venv" / "bin" / "python") if (work / "venv").exists() else installed_python(work)[0]
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
    """List the modules a plain `reportcheck check` imports, and the heavy ones among them (must be none).

    Modules the interpreter loaded before reportcheck (its own start-up hooks) do not count.
    """
    code = ("import sys; before = set(sys.modules); from checker.command import plain_check\n"
            "plain_check([sys.argv[1]])\n"
            "print('\\n'.join(sorted(set(sys.modules) - before)), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code, str(EXAMPLE)], capture_output=True, text=True, check=False,
                          env={**os.environ, "NO_COLOR": "1"})
    modules = [line for line in done.stderr.splitlines() if line]
    heavy = sorted({m for m in modules if m.split(".")[0] in HEAVY})
    return {"modules": len(modules), "heavy": heavy}


def throughput(work: Path, count: int) -> dict[str, float]:
    """Reports per second for `check --recursive` with 1 and 2 jobs, against markdown-it-py parsing alone.

    Runs with the installed wheel of `installed_python` (call `cold_check` first).
    """
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
    python = str(work / "venv" / "bin" / "python")  # the venv of installed_python, holding the wheel
    floor_cmd = [python, "-c", floor_code, str(folder)]
    check_cmd = [python, "-m", "checker", "check", "-r", str(folder), "--format", "json"]
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


def _cold_rows(cold: dict[str, float | None], budget: dict[str, object]) -> list[tuple[str, str, str, str]]:
    ours, floor = float(cold["ours_s"] or 0), float(cold["floor_s"] or 1)
    return [
        ("cold check, 40 KB report", f"{ours:.3f} s", "<= 1.25 x floor (start, import, one parse)",
         f"{cold['vs_floor']:.2f} x (floor {floor:.3f} s)"),
        ("the same vs the course checker", f"{ours:.3f} s", "<= 0.5 x course checker",
         f"{cold['ratio']:.2f} x ({cold['official_s']:.3f} s)" if cold["ratio"] else "(no --official given)"),
        ("the same with an option (click)", f"{cold['with_option_s']:.3f} s", "",
         f"{float(cold['with_option_s'] or 0) / floor:.2f} x floor"),
        ("imports of `check`", f"{budget['modules']} modules", "no click/PyGithub/jsonschema/YAML/HTML/OpenSSL",
         "none" if not budget["heavy"] else ", ".join(budget["heavy"])),  # type: ignore[arg-type]
    ]


def _print(rows: list[tuple[str, str, str, str]]) -> None:
    widths = [max(len(str(row[i])) for row in rows) for i in range(4)]
    header = ("measure", "result", "target", "against target")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))


def _cold_only(results: dict[str, object], cold: dict[str, float | None], budget: dict[str, object]) -> int:
    """Print the cold-check rows and replace only those figures in results.json."""
    _print(_cold_rows(cold, budget))
    path = ROOT / "bench" / "results.json"
    saved = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    saved.update({"machine": results["machine"], "cold_check": cold, "import_budget": budget})
    path.write_text(json.dumps(saved, indent=2) + "\n", encoding="utf-8")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--official", type=Path, help="the course's report.py, with its dependencies installed")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--cold-only", action="store_true",
                        help="time the cold check and its imports only; other figures in results.json stay")
    parser.add_argument("--scan", action="store_true",
                        help="also scan 300 fake repositories at 50 ms a request, REST against batched (GraphQL)")
    args = parser.parse_args()
    results: dict[str, object] = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cold = cold_check(work, args.runs, args.official)
        with_git = git_cost(work, args.runs)
        budget = import_budget(work)
        if args.cold_only:
            return _cold_only(results, cold, budget)
        many = throughput(work, args.reports)
        big = big_input(work)
    results.update({"cold_check": cold, "git_cost": with_git, "import_budget": budget, "throughput": many,
                    "big_input": big})
    rows = [
        *_cold_rows(cold, budget),
        ("cold check inside git (one `git ls-files`)", f"{with_git['git_s']:.3f} s",
         "one git call, no more", f"+{with_git['added_s'] * 1000:.0f} ms wall, "
         f"+{with_git['added_cpu_s'] * 1000:.0f} ms CPU over no git "
         f"(the call alone {with_git['ls_files_s'] * 1000:.1f} ms)"),
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
    _print(rows)
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
