"""The checklist held against the repository: globs, item matching, each shipped evidence rule with a repository
that has its evidence and one that has not, which small files are read, and `checklist-unbacked` end to end."""

from __future__ import annotations

import json
import os
import re
import subprocess
import tomllib
from pathlib import Path
from typing import NamedTuple

import jsonschema
import pytest

from checker import check_path, check_text, evidence
from checker.cli import run
from checker.errors import CheckerError
from checker.evidence import EvidenceRule, EvidenceRules, RepoSample, decide, wanted_files
from checker.files import RepoListing, TreeFiles, local_listing, read_small
from checker.formats import RenderOptions, markdown, text
from checker.formats import json as json_format
from checker.parse import ChecklistGroup, ChecklistItem, parse
from checker.questions import detect, from_data, shipped
from tests.conftest import FILES, ROOT, make_report

MINI_DATA = tomllib.loads((ROOT / "tests/data/mini-course.toml").read_text(encoding="utf-8"))
RULES_DATA = tomllib.loads((ROOT / "tests/data/evidence-rules.toml").read_text(encoding="utf-8"))
COURSE = from_data({**MINI_DATA, **RULES_DATA}, "evidence-course")


def with_checklist(*items: tuple[bool, str], answers: dict[int, str | None] | None = None) -> str:
    """Return a mini-course report whose checklist holds these (ticked, text) items."""
    lines = [f"* [{'x' if ticked else ' '}] {item}" for ticked, item in items]
    report = make_report(answers)
    start, end = report.index("### Week 1"), report.index("## Group")
    return report[:start] + "### Week 1\n\n" + "\n".join(lines) + "\n\n" + report[end:]


def listing(paths: list[str], contents: dict[str, str] | None = None, git: bool = True) -> RepoListing:
    """A repository of these files; `contents` are the ones that can be read."""
    data = {path: body.encode() for path, body in (contents or {}).items()}
    return RepoListing(tuple(dict.fromkeys([*paths, *data])), data.get, git)


def checked(report: str, repo: RepoListing | None) -> tuple[set[str], list[object]]:
    result = check_text(report, files=FILES, question_set=COURSE, sets=(COURSE,), listing=repo)
    return {f.rule for f in result.findings}, list(result.checklist_items)


# ---- globs ----

@pytest.mark.parametrize(("glob", "path", "matches"), [
    ("**/*dockerfile*", "Dockerfile", True),
    ("**/*dockerfile*", "docker/api.Dockerfile", True),
    ("**/*dockerfile*", "dockerfiles/build.yaml", False),
    ("**/*dockerfile*", ".dockerignore", False),
    ("**/*frontend*", "frontend/app.py", False),
    ("**/*frontend*/**", "frontend/app.py", True),
    ("**/*frontend*/**", "src/web_frontend/ui/app.py", True),
    ("*/__init__.py", "app/__init__.py", True),
    ("*/__init__.py", "src/app/__init__.py", False),
    ("src/**/*.py", "src/a.py", True),
    ("src/**/*.py", "src/a/b/c.py", True),
    ("src/**/*.py", "lib/src.py", False),
    (".github/workflows/*.y*ml", ".github/workflows/Tests.YML", True),
    (".github/workflows/*.y*ml", ".github/workflows/sub/x.yml", False),
    ("**/.hydra/**", "outputs/2024/.hydra/config.yaml", True),
    ("**/.hydra/**", ".hydra", False),
    ("**/cloudbuild*.y*ml", "deploy/gcp/cloudbuild-api.yaml", True),
    ("tasks.py", "app/tasks.py", False),
    ("**/test_?.py", "tests/test_a.py", True),
])
def test_glob_semantics(glob: str, path: str, matches: bool) -> None:
    index = evidence.PathIndex([path, "unrelated/file.txt"])
    assert (index.find(glob, 5) == [path]) is matches


def test_ignored_folders_never_count() -> None:
    index = evidence.PathIndex(["node_modules/x/Dockerfile", "app/Dockerfile", "reports/figures/arch.png"],
                               ["**/node_modules/**", "reports/figures/**"])
    assert index.find("**/*dockerfile*", 5) == ["app/Dockerfile"]
    assert index.find("**/*arch*", 5) == []


def test_a_large_file_list_is_searched_by_name_and_folder() -> None:
    paths = [f"data/images/img_{n:06d}.png" for n in range(50_000)] + ["src/app/model.py", "Dockerfile"]
    index = evidence.PathIndex(paths)
    assert index.find("**/*model*.py", 5) == ["src/app/model.py"]
    assert index.find("**/data/**", 2) == ["data/images/img_000000.png", "data/images/img_000001.png"]
    assert index.find("**/*drift*", 5) == []


@pytest.mark.parametrize(("line", "found"), [
    ("hydra-core>=1.3", True),
    ('  "hydra_core==1.3.2",', True),
    ("Hydra.Core", True),
    ("# hydra-core", False),
    ("torch  # hydra-core later", False),
    ("hydra-core-extras", False),
    ("omegaconf", False),
    ('name = "hydra-core"', True),
    ("RUN pip install --no-cache-dir hydra-core==1.3 uvicorn", True),
])
def test_package_names(line: str, found: bool) -> None:
    assert ("hydra-core" in evidence.package_names(f"torch\n{line}\n")) is found


# ---- each shipped evidence rule: a repository with its evidence and one without ----

BASE = ("README.md", "LICENSE", "reports/README.md", "reports/figures/overview.png")


def repo(paths: tuple[str, ...] = (), contents: dict[str, str] | None = None, git: bool = True) -> RepoSample:
    """A repository with the base files, these paths, and these small files (all read)."""
    contents = contents or {}
    return RepoSample(tuple(dict.fromkeys([*BASE, *paths, *contents])),
                      {path: body.encode() for path, body in contents.items()}, git)


class Case(NamedTuple):
    has: RepoSample | None  # None: no file can show it
    lacks: RepoSample
    lacks_status: str = "none"


WEAK = "not-checkable"
PY = ("app/main.py",)
MATRIX_WORKFLOW = "jobs:\n  t:\n    strategy:\n      matrix:\n        os: [ubuntu-latest, windows-latest]\n"
PASSING_WORKFLOW = {".github/workflows/tests.yml": "jobs:\n  t:\n    steps:\n      - run: pytest\n"}

CASES: dict[str, Case] = {
    "git-repository": Case(repo(), repo(git=False), WEAK),
    "team-access": Case(None, repo(), WEAK),
    "environment": Case(repo(("env/environment.yml",)), repo(PY)),
    "cookiecutter": Case(repo(("app/__init__.py", "app/train.py")), repo(("train.py", "notebook.ipynb"))),
    "data-code": Case(repo(("app/dataset.py",)), repo(("app/train.py",))),
    "model-training": Case(repo(("app/net.py",)), repo(("app/data.py",))),
    "requirements": Case(repo(("requirements_dev.txt",)), repo(PY)),
    "code-style": Case(repo(contents={"pyproject.toml": "[tool.ruff]\nline-length = 120\n"}),
                       repo(contents={"pyproject.toml": "[project]\nname = 'x'\n"}), WEAK),
    "typing-docs": Case(repo(contents={".github/workflows/ci.yml": "- run: mypy src\n"}), repo(), WEAK),
    "data-version-control": Case(repo(contents={".gitattributes": "*.csv filter=lfs diff=lfs merge=lfs -text\n"}),
                                 repo(PY)),
    "cli": Case(repo(contents={"pyproject.toml": "[project.scripts]\ntrain = 'app.train:main'\n"}), repo(PY), WEAK),
    "dockerfiles": Case(repo(("docker/api.Dockerfile",)), repo(PY)),
    "docker-build": Case(repo(("deploy/compose.yaml",)), repo(PY)),
    "experiment-configs": Case(repo(("app/settings/train_config.yaml",)),
                               repo((".github/workflows/ci.yml", ".pre-commit-config.yaml", "mkdocs.yml", *PY))),
    "hydra": Case(repo(contents={"requirements.txt": "torch\nhydra-core>=1.3\n"}),
                  repo(contents={"requirements.txt": "torch\n# hydra-core later\n"})),
    "profiling": Case(repo(("profiling/train.prof",)), repo(), WEAK),
    "logging": Case(repo(contents={"requirements.txt": "loguru\n"}), repo(), WEAK),
    "wandb": Case(repo(contents={"pyproject.toml": 'dependencies = ["wandb>=0.16"]\n'}),
                  repo(contents={"pyproject.toml": 'dependencies = ["torch"]\n'})),
    "sweep": Case(repo(("configs/sweep.yaml",)), repo(), WEAK),
    "lightning": Case(repo(contents={"requirements.txt": "pytorch-lightning==2.1\n"}),
                      repo(contents={"requirements.txt": "lightning-bolts-free\n"})),
    "data-tests": Case(repo(("app/data/test_loading.py",)), repo(PY)),
    "model-tests": Case(repo(("app/model_test.py",)), repo(PY)),
    "coverage": Case(repo(contents={".github/workflows/tests.yml": "- run: pytest --cov=app\n"}), repo(PY)),
    "ci": Case(repo((".gitlab-ci.yml",)), repo(PY)),
    "ci-cache-matrix": Case(repo(contents={".github/workflows/tests.yml": MATRIX_WORKFLOW}),
                            repo(contents=PASSING_WORKFLOW)),
    "ci-lint": Case(repo(contents={".github/workflows/tests.yml": "- run: ruff check .\n"}),
                    repo(contents=PASSING_WORKFLOW)),
    "pre-commit": Case(repo((".pre-commit-config.yaml",)), repo(PY)),
    "data-trigger": Case(repo((".github/workflows/on_data.yaml",)), repo(), WEAK),
    "registry-trigger": Case(repo(contents={".github/workflows/deploy.yml": "on:\n  repository_dispatch:\n"}),
                             repo(), WEAK),
    "gcp-bucket": Case(repo(contents={".dvc/config": "['remote \"storage\"']\n    url = gs://our-bucket\n"}),
                       repo(), WEAK),
    "build-trigger": Case(repo(("infra/cloudbuild-api.yaml",)), repo(PY)),
    "gcp-training": Case(repo(("configs/vertex_job.yaml",)), repo(), WEAK),
    "fastapi": Case(repo(contents={"requirements.txt": "fastapi[standard]\n"}),
                    repo(contents={"requirements.txt": "flask\n"})),
    "torchserve": Case(repo(("deploy/model.mar",)), repo(), WEAK),
    "cloud-deploy": Case(repo(contents={".github/workflows/deploy.yml": "- run: gcloud run deploy api\n"}),
                         repo(), WEAK),
    "api-tests": Case(repo(("tests/integrationtests/test_endpoints.py",)), repo(PY)),
    "load-test": Case(repo(("tests/performance/locustfile.py",)), repo(PY)),
    "onnx-bentoml": Case(repo(("models/model.onnx",)), repo(PY)),
    "frontend": Case(repo(("frontend/app.py",)), repo((*PY, "htmlcov/index.html"))),
    "drift-robustness": Case(repo(("notebooks/robustness.ipynb",)), repo(), WEAK),
    "drift-api": Case(repo(("app/drift/api.py",)), repo(PY)),
    "data-collection": Case(repo(("app/database.py",)), repo(), WEAK),
    "system-metrics": Case(repo(contents={"requirements.txt": "prometheus-client\n"}), repo(PY)),
    "cloud-monitoring": Case(repo(("monitoring/dashboard.json",)), repo(), WEAK),
    "model-monitoring": Case(repo(("app/monitor.py",)), repo(), WEAK),
    "alerts": Case(repo(("monitoring/alerts.yaml",)), repo(), WEAK),
    "distributed-data": Case(None, repo(), WEAK),
    "distributed-training": Case(repo(contents={"requirements.txt": "accelerate\n"}), repo(), WEAK),
    "model-compression": Case(repo(("app/quantize.py",)), repo(), WEAK),
    "docs": Case(repo(("docs/usage.md",)), repo(("docs/mkdocs.yaml", "docs/README.md", "docs/source/index.md")), WEAK),
    "github-pages": Case(repo(contents={".github/workflows/docs.yml": "- run: mkdocs gh-deploy --force\n"}),
                         repo(contents=PASSING_WORKFLOW)),
    "project-revisited": Case(None, repo(), WEAK),
    "architecture-diagram": Case(repo(("docs/architecture.drawio",)), repo(), WEAK),
    "shared-understanding": Case(None, repo(), WEAK),
    "code-uploaded": Case(repo(PY), repo()),
}


def shipped_rules() -> dict[str, tuple[EvidenceRules, EvidenceRule]]:
    """Every rule id of the shipped sets, with the newest set that has it."""
    found: dict[str, tuple[EvidenceRules, EvidenceRule]] = {}
    for question_set in shipped():
        assert question_set.evidence is not None, question_set.id
        for rule in question_set.evidence.rules:
            found[rule.id] = (question_set.evidence, rule)
    return found


def test_every_shipped_rule_has_a_case() -> None:
    assert set(CASES) == set(shipped_rules())


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_with_and_without_its_evidence(rule_id: str) -> None:
    rules, rule = shipped_rules()[rule_id]
    case = CASES[rule_id]
    if case.has is not None:
        found = decide(rules, rule, case.has)
        assert found.status == "found", found
        assert set(found.paths) <= set(case.has.paths)
    lacking = decide(rules, rule, case.lacks)
    assert lacking.status == case.lacks_status, lacking
    if lacking.status == "none":
        assert rule.look_for and not rule.weak and rule.checkable
    else:
        assert lacking.reason


def test_docs_list_every_shipped_rule() -> None:
    text = (ROOT / "docs" / "evidence.md").read_text(encoding="utf-8")
    table = text.split("## The shipped rules", 1)[1].split("\n## ", 1)[0]
    listed = {line.split("|")[1].strip().strip("`") for line in table.splitlines() if line.startswith("| `")}
    assert listed == set(shipped_rules())


@pytest.mark.parametrize(("rule_id", "sample", "reason"), [
    ("data-tests", repo(("tests/test_misc.py",)), "file names alone cannot tell"),
    ("build-trigger", repo(("Dockerfile",)), "Cloud Build trigger"),
    ("fastapi", repo(("app/api.py",)), "file names alone cannot tell"),
    ("github-pages", repo(contents={"mkdocs.yml": "site_name: Ours\n"}), "gh-deploy"),
    ("data-version-control", repo(("data/raw/train.csv",)), "committed to git"),
])
def test_files_that_make_a_claim_plausible_make_it_not_checkable(rule_id: str, sample: RepoSample,
                                                                  reason: str) -> None:
    rules, rule = shipped_rules()[rule_id]
    decision = decide(rules, rule, sample)
    assert decision.status == "not-checkable"
    assert reason in decision.reason
    assert decision.paths


def test_unusual_layouts_still_count() -> None:
    sample = repo(("app/__init__.py", "app/model.py", "app/data.py", "app/test_model.py", "app/test_data.py",
                   "docker/train.Dockerfile", "docker/api.Dockerfile", "app/config/train.yaml"))
    rules = shipped_rules()
    for rule_id in ("cookiecutter", "model-training", "data-code", "model-tests", "data-tests", "dockerfiles",
                    "docker-build", "experiment-configs", "code-uploaded"):
        assert decide(rules[rule_id][0], rules[rule_id][1], sample).status == "found", rule_id


def test_an_unread_small_file_makes_a_rule_not_checkable() -> None:
    rules, rule = shipped_rules()["hydra"]
    paths = (*BASE, "pyproject.toml", "requirements.txt")
    only_pyproject = RepoSample(paths, {"pyproject.toml": b'dependencies = ["torch"]\n'})
    decision = decide(rules, rule, only_pyproject)
    assert decision.status == "not-checkable"
    assert decision.reason == "`requirements.txt` may show it but was not read"
    both = RepoSample(paths, {"pyproject.toml": b'dependencies = ["torch"]\n', "requirements.txt": b"numpy\n"})
    assert decide(rules, rule, both).status == "none"


# ---- which small files ----

def test_wanted_files_are_the_most_informative_two() -> None:
    rules = shipped_rules()["hydra"][0]
    paths = ("README.md", "uv.lock", "requirements.txt", "requirements_dev.txt", "pyproject.toml", "Dockerfile",
             ".github/workflows/docs.yml", ".github/workflows/tests.yaml", "mkdocs.yml", "src/app/__init__.py")
    # A root requirements.txt holds the dependencies where both exist (the course's pip template reads them
    # into pyproject.toml); then the test workflow, for the CI rules.
    assert wanted_files(rules, paths, 2) == ("requirements.txt", ".github/workflows/tests.yaml")
    assert wanted_files(rules, paths, 0) == ()
    more = wanted_files(rules, paths, 20)
    assert more[:3] == ("requirements.txt", ".github/workflows/tests.yaml", "pyproject.toml")
    assert set(more) <= set(paths) and len(set(more)) == len(more)
    assert "README.md" not in more and "src/app/__init__.py" not in more


def test_a_source_leaves_out_its_negated_globs() -> None:
    rules = shipped_rules()["hydra"][0]
    paths = ("wandb/run-1/files/requirements.txt", "outputs/2024/requirements.txt", "app/requirements.txt")
    assert wanted_files(rules, paths, 5) == ("app/requirements.txt",)


def test_wanted_files_skip_what_the_file_list_settles() -> None:
    rules = shipped_rules()["hydra"][0]
    assert wanted_files(rules, ("README.md", "src/app.py"), 2) == ()
    assert wanted_files(rules, ("pyproject.toml", "uv.lock", "a.py"), 1) == ("pyproject.toml",)
    # Without dependency files, a workflow is the first choice.
    assert wanted_files(rules, ("README.md", ".github/workflows/ci.yml"), 2) == (".github/workflows/ci.yml",)


def test_fixed_places_are_each_sources_first_places_known_before_the_file_list() -> None:
    sources = {
        "dependencies": ("requirements.txt", "pyproject.toml", "setup.py", "**/requirements*.txt"),
        "workflows": ("!.github/workflows/skip.yml", ".github/workflows/*test*.y*ml", ".github/workflows/*.y*ml",
                      ".gitlab-ci.yml", "ci/**"),
        "docs": ("mkdocs.y*ml", "**/mkdocs.yml", "*/mkdocs.yml"),
        "dvc": (".dvc/config", "pyproject.toml"),
    }
    rules = EvidenceRules(sources, ())
    # Wildcards in a folder, at the top of a name, or into subfolders have no fixed place; a negated glob
    # names files never read; a place another source has already costs nothing.
    assert evidence.fixed_places(rules) == evidence.Places(
        ("requirements.txt", "pyproject.toml", ".gitlab-ci.yml", ".dvc/config"), (".github/workflows",))
    assert evidence.fixed_places(rules, 1) == evidence.Places(("requirements.txt", ".dvc/config"),
                                                              (".github/workflows",))
    assert evidence.fixed_places(rules, 0) == evidence.Places()


def test_the_fixed_places_hold_what_most_real_repositories_have_chosen(shared: Path) -> None:
    from tests.test_corpus import corpus

    rules = shipped()[-1].evidence
    assert rules is not None
    places = evidence.fixed_places(rules)
    chosen = [wanted_files(rules, (folder / "tree.txt").read_text(encoding="utf-8").splitlines(), 2)
              for folder in corpus()]
    held = [all(p in places.paths or p.rpartition("/")[0] in places.folders for p in files) for files in chosen]
    assert len(held) > 40 and sum(held) >= 0.9 * len(held)


def test_gather_reads_only_the_wanted_files() -> None:
    rules = shipped_rules()["hydra"][0]
    asked: list[str] = []

    def read(path: str) -> bytes | None:
        asked.append(path)
        return None if path == "requirements.txt" else b"x"

    sample = evidence.gather(rules, ("pyproject.toml", "requirements.txt", ".github/workflows/ci.yml", "a.py"), read,
                             git=True, limit=2)
    assert asked == ["requirements.txt", ".github/workflows/ci.yml"]
    assert set(sample.contents) == {".github/workflows/ci.yml"}  # requirements.txt could not be read


# ---- matching items to rules ----

def items_of(report: str) -> list[ChecklistItem]:
    return [item for group in parse(report).checklist for item in group.items]


def test_items_match_by_fingerprint_note_module_or_words() -> None:
    rules = COURSE.evidence
    assert rules is not None
    match = evidence.match
    assert match(rules, "We packaged the model in containers (M10)").id == "containers"  # type: ignore[union-attr]
    assert match(rules, "We **packaged** the model in containers").id == "containers"  # type: ignore[union-attr]
    assert match(rules, "[partly] We packaged the model in containers (M10) Anna").id == "containers"  # type: ignore[union-attr]
    assert match(rules, "Something else entirely (M14)").id == "tracking"  # type: ignore[union-attr]
    assert match(rules, "Our containers were nice").id == "containers"  # type: ignore[union-attr]
    assert match(rules, "Nothing we have a rule for") is None
    assert match(rules, "Something (M99)") is None


def test_a_huge_item_is_matched_quickly() -> None:
    rules = COURSE.evidence
    assert rules is not None
    huge = "We packaged the model in containers " + "and then some more words " * 20_000
    assert evidence.match(rules, huge).id == "containers"  # type: ignore[union-attr]  # by its key word
    assert evidence.match(rules, "word " * 50_000) is None


def revisions(shared: Path) -> list[Path]:
    return sorted((shared / "templates" / "revisions").glob("2*.md"))


def test_every_template_item_of_every_revision_has_exactly_its_rule(shared: Path) -> None:
    seen = 0
    for revision in revisions(shared):
        text = revision.read_text(encoding="utf-8")
        report = parse(text)
        question_set = detect(report).question_set
        rules = question_set.evidence
        assert rules is not None
        claims = []
        for item in items_of(text):
            prints = evidence.by_fingerprint(rules)
            rule = prints.get(evidence.item_fingerprint(item.text))
            assert rule is not None, (revision.name, item.line)
            assert set(evidence.item_modules(item.text)) <= set(rule.modules), (revision.name, item.line)
            claims.append(rule.id)
            # A note written after the module tag or before the text keeps the match.
            assert evidence.match(rules, f"{item.text} - done by s123456") == rule
            assert evidence.match(rules, f"[partly] {item.text}") == rule
            # An edited text falls back to the module tag or key words: the same rule, or none, never another.
            edited = "Edited: " + " ".join(item.text.split()[1:])
            assert evidence.match(rules, edited) in (rule, None), (revision.name, item.line)
            worded = {r.id for r in rules.rules if any(w in item.text.lower() for w in r.words)}
            assert worded <= {rule.id} or worded == {"wandb", "sweep"}, (revision.name, item.line, worded)
            seen += 1
        assert len(claims) == len(set(claims)), revision.name
    assert seen > 500


def test_edited_items_mostly_keep_their_rule(shared: Path) -> None:
    kept = total = 0
    for revision in revisions(shared):
        text = revision.read_text(encoding="utf-8")
        rules = detect(parse(text)).question_set.evidence
        assert rules is not None
        for item in items_of(text):
            rule = evidence.by_fingerprint(rules)[evidence.item_fingerprint(item.text)]
            edited = item.text.replace("e", "3", 1)  # a typo: the fingerprint no longer matches
            kept += evidence.match(rules, edited) == rule
            total += 1
    # Key words are domain terms and file names only (never the template's phrasing), so a typo in them loses
    # the match: as no rule, never another one (the test above).
    assert kept >= 0.8 * total


def test_shipped_sets_load_their_evidence_and_validate() -> None:
    for question_set in shipped():  # loaded without compiling the patterns, so compile them here
        assert question_set.evidence is not None
        for rule in question_set.evidence.rules:
            for search in rule.searches:
                re.compile(search.pattern)
    schema = json.loads((ROOT / "schemas/question-set.schema.json").read_text(encoding="utf-8"))
    for path in sorted((ROOT / "questions").glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        jsonschema.validate(data, schema)
        ids = [rule["id"] for rule in data["evidence"]]
        assert len(ids) == len(set(ids)), path.name
        prints = [fp for rule in data["evidence"] for fp in rule.get("items", ())]
        assert len(prints) == len(set(prints)), path.name


def test_malformed_evidence_sections_are_one_clear_line() -> None:
    for broken in ({"evidence_files": {"sources": ["deps"]}, "evidence": RULES_DATA["evidence"]},
                   {"evidence_files": RULES_DATA["evidence_files"], "evidence": ["containers"]},
                   {"evidence_files": RULES_DATA["evidence_files"], "evidence": [{"id": "x", "title": "X",
                                                                                  "paths": "**/x"}]}):
        with pytest.raises(CheckerError, match="not valid") as caught:
            from_data({**MINI_DATA, **broken}, "set.toml")
        assert "\n" not in str(caught.value) and str(caught.value).startswith("set.toml: ")


@pytest.mark.parametrize(("change", "message"), [
    ({"contents": [{"in": "nowhere", "pattern": "x"}]}, "searches the source 'nowhere'"),
    ({"contents": [{"in": "workflows", "pattern": "("}]}, "is not a valid regular expression"),
    ({"title": None}, "evidence rule 'containers': not valid"),
])
def test_broken_evidence_data_is_one_clear_line(change: dict[str, object], message: str) -> None:
    entry = {**RULES_DATA["evidence"][0], **change}
    if entry.get("title") is None:
        del entry["title"]
    with pytest.raises(CheckerError, match=message) as caught:
        from_data({**MINI_DATA, "evidence_files": RULES_DATA["evidence_files"], "evidence": [entry]}, "set.toml")
    assert "\n" not in str(caught.value)
    assert str(caught.value).startswith("set.toml: ")


# ---- the rule and the outputs ----

REPORT = with_checklist(
    (True, "We packaged the model in containers (M10)"),
    (True, "We tracked experiments online (M14)"),
    (True, "Everybody can push to the repository (M5)"),
    (False, "Our CI lints the code (M17)"),
    (True, "We wrote notes on speed (M12)"),
    (True, "Drew a diagram"),
)


def line_of(report: str, words: str) -> int:
    return next(n for n, line in enumerate(report.split("\n"), 1) if words in line)


def test_ticked_item_without_a_trace_is_unbacked_at_its_line() -> None:
    repo_listing = listing(["src/app.py"], {"requirements.txt": "torch\n"})
    result = check_text(REPORT, files=FILES, question_set=COURSE, sets=(COURSE,), listing=repo_listing)
    unbacked = [f for f in result.findings if f.rule == "checklist-unbacked"]
    assert [(f.line, f.question, f.severity) for f in unbacked] == [
        (line_of(REPORT, "containers"), None, "warning"),
        (line_of(REPORT, "tracked experiments"), None, "warning"),
    ]
    assert unbacked[0].message == ("ticked, but the repository shows no trace of it: Container images (M10); "
                                   "looked for a Dockerfile")
    assert unbacked[0].hint.startswith("Commit what shows it, or untick the item")
    statuses = {item.claim: item.evidence for item in result.checklist_items}
    assert statuses == {"containers": "none", "tracking": "none", "access": "not-checkable", "lint": "none",
                        "notes": "not-checkable", None: "not-checkable"}
    assert result.ready  # warnings only
    assert not result.looks_done


def test_backed_items_are_not_reported_and_untickeds_that_look_done_are_listed() -> None:
    repo_listing = listing(["docker/api.Dockerfile", "src/app.py"],
                           {"requirements.txt": "wandb\n", ".github/workflows/tests.yml": "- run: ruff check .\n"})
    result = check_text(REPORT, files=FILES, question_set=COURSE, sets=(COURSE,), listing=repo_listing)
    assert "checklist-unbacked" not in {f.rule for f in result.findings}
    assert [(item.claim, item.paths) for item in result.looks_done] == [("lint", (".github/workflows/tests.yml",))]
    output = text.render(result, RenderOptions())
    assert f"checklist: 1 item looks done but is not ticked (line {line_of(REPORT, 'lints')})\n" in output
    items = {item.claim: item for item in result.checklist_items}
    assert items["containers"].paths == ("docker/api.Dockerfile",)
    assert items["tracking"].paths == ("requirements.txt",)


def test_without_a_repository_the_items_are_listed_but_not_judged() -> None:
    result = check_text(REPORT, files=FILES, question_set=COURSE, sets=(COURSE,))
    assert "checklist-unbacked" not in {f.rule for f in result.findings}
    assert [item.evidence for item in result.checklist_items] == [None] * 6
    assert [item.module for item in result.checklist_items] == ["M10", "M14", "M5", "M17", "M12", None]
    assert "look done" not in text.render(result, RenderOptions())
    assert "Checklist against the repository" not in markdown.render(result, RenderOptions())


def test_json_lists_every_item_with_its_evidence() -> None:
    repo_listing = listing(["src/app.py", ".github/workflows/tests.yml"],
                           {".github/workflows/tests.yml": "- run: ruff check .\n"})
    result = check_text(REPORT, files=FILES, question_set=COURSE, sets=(COURSE,), listing=repo_listing)
    data = json.loads(json_format.render(result, RenderOptions()))
    jsonschema.validate(data, json.loads((ROOT / "schemas/result.schema.json").read_text(encoding="utf-8")))
    assert data["checklist"]["looks_done"] == 1
    first, lint = data["checklist"]["items"][0], data["checklist"]["items"][3]
    assert first == {"line": line_of(REPORT, "containers"), "module": "M10", "checked": True, "claim": "containers",
                     "title": "Container images", "evidence": "none", "paths": [], "looked_for": "a Dockerfile",
                     "reason": ""}
    assert (lint["checked"], lint["evidence"], lint["paths"]) == (False, "found", [".github/workflows/tests.yml"])


def test_markdown_summary_has_a_short_evidence_section() -> None:
    repo_listing = listing(["src/app.py", ".github/workflows/tests.yml"],
                           {".github/workflows/tests.yml": "- run: ruff check .\n"})
    result = check_text(REPORT, files=FILES, question_set=COURSE, sets=(COURSE,), listing=repo_listing)
    summary = markdown.render(result, RenderOptions())
    assert ("**Checklist against the repository:** 5 ticked items: 0 shown by files, 2 without any trace, 3 not "
            "checkable from files; 1 item looks done but is not ticked.") in summary
    assert (f"| {line_of(REPORT, 'containers')} | Container images (M10) | ✅ | ⚠️ no trace; looked for a "
            "Dockerfile |") in summary
    assert f"| {line_of(REPORT, 'lints')} | Linting in CI (M17) | ⬜ | shown by <code>.github/workflows/tests.yml" \
           "</code> |" in summary


# ---- `check` on a local repository ----

def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@t"})


def make_git_repo(folder: Path, report: str, files: dict[str, str], untracked: dict[str, str]) -> Path:
    (folder / "reports" / "figures").mkdir(parents=True)
    (folder / "reports" / "figures" / "pipe.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "reports" / "README.md").write_text(report, encoding="utf-8")
    for path, body in {**files, **untracked}.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(body, encoding="utf-8")
    git(folder, "init", "-q")
    git(folder, "add", "reports", *files)
    return folder


def test_local_listing_is_what_git_will_push(tmp_path: Path) -> None:
    root = make_git_repo(tmp_path / "g", "x", {"src/app.py": "", "requirements.txt": "wandb\n"},
                         {"docker/Dockerfile": "FROM python\n"})
    found = local_listing(root)
    assert found is not None and found.git
    assert set(found.paths) == {"reports/README.md", "reports/figures/pipe.png", "src/app.py", "requirements.txt"}
    assert found.read("requirements.txt") == b"wandb\n"
    # Nothing added yet (git does not track the report): the folder as it is, as for the figures.
    fresh = tmp_path / "fresh"
    (fresh / "src").mkdir(parents=True)
    (fresh / "src" / "app.py").write_text("", encoding="utf-8")
    git(fresh, "init", "-q")
    unadded = local_listing(fresh)
    assert unadded is not None and not unadded.git and unadded.paths == ("src/app.py",)
    # Not a git work tree: the folder as it is.
    plain = tmp_path / "plain"
    (plain / "app").mkdir(parents=True)
    (plain / "app" / "Dockerfile").write_text("FROM python\n", encoding="utf-8")
    (plain / ".venv" / "lib").mkdir(parents=True)
    (plain / ".venv" / "lib" / "x.py").write_text("", encoding="utf-8")
    walked = local_listing(plain)
    assert walked is not None and not walked.git
    assert walked.paths == ("app/Dockerfile",)


def test_without_git_on_the_path_the_folder_is_walked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_git_repo(tmp_path / "g", "x", {"src/app.py": ""}, {"notes.txt": ""})
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    found = local_listing(root)
    assert found is not None and not found.git
    assert set(found.paths) == {"reports/README.md", "reports/figures/pipe.png", "src/app.py", "notes.txt"}


def test_read_small_stays_inside_the_repository(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    (tmp_path / "secret.txt").write_text("no", encoding="utf-8")
    (tmp_path / "repo" / "big.txt").write_bytes(b"a" * 100)
    (tmp_path / "repo" / "link.txt").symlink_to(tmp_path / "secret.txt")
    assert read_small(tmp_path / "repo", "../secret.txt") is None
    assert read_small(tmp_path / "repo", "link.txt") is None
    assert read_small(tmp_path / "repo", "missing.txt") is None
    assert read_small(tmp_path / "repo", "big.txt", limit=10) == b"a" * 10


def test_check_holds_the_checklist_against_the_committed_files(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "g"
    make_git_repo(root, REPORT, {"src/app.py": "", "requirements.txt": "wandb\n"},
                  {"docker/Dockerfile": "FROM python\n"})
    (root / "course.toml").write_text((ROOT / "tests/data/mini-course.toml").read_text(encoding="utf-8")
                                             + "\n" + (ROOT / "tests/data/evidence-rules.toml").read_text(
                                                 encoding="utf-8"), encoding="utf-8")
    assert run(["check", str(root), "--set", str(root / "course.toml"), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    unbacked = [f for f in data["findings"] if f["rule"] == "checklist-unbacked"]
    # The Dockerfile is not committed, so the containers claim is unbacked; wandb is in requirements.txt.
    assert [f["line"] for f in unbacked] == [line_of(REPORT, "containers")]
    # A lone report file outside any repository says nothing about a project: no evidence at all.
    lone = tmp_path / "lone" / "README.md"
    lone.parent.mkdir()
    lone.write_text(REPORT, encoding="utf-8")
    result = check_path(lone, question_set=COURSE, sets=(COURSE,))
    assert {item.evidence for item in result.checklist_items} == {None}


def test_the_action_summary_and_annotations_hold_the_checklist(tmp_path: Path) -> None:
    from tests.test_action import make_repo, step

    repo = make_repo(tmp_path / "repo", REPORT)
    (repo / "course.toml").write_text((ROOT / "tests/data/mini-course.toml").read_text(encoding="utf-8") + "\n"
                                      + (ROOT / "tests/data/evidence-rules.toml").read_text(encoding="utf-8"),
                                      encoding="utf-8")
    (repo / "requirements.txt").write_text("wandb\n", encoding="utf-8")
    git(repo, "add", "-A")
    status, log, outputs, summary = step(repo, tmp_path)
    assert status == 0, log
    assert outputs["warnings"] == "1"
    line = line_of(REPORT, "containers")
    assert f"reports/README.md:{line}:1: warning checklist-unbacked ticked, but" in log  # the problem matcher's line
    assert "**Checklist against the repository:** 5 ticked items: 1 shown by files, 1 without any trace" in summary


def test_the_scan_flow_two_small_files_then_check_text() -> None:
    tree = ("reports/README.md", "reports/figures/pipe.png", "requirements.txt", "requirements_dev.txt",
            ".github/workflows/tests.yml", ".github/workflows/lint.yml")
    rules = COURSE.evidence
    assert rules is not None
    wanted = wanted_files(rules, tree, limit=2)
    assert wanted == ("requirements.txt", ".github/workflows/tests.yml")
    fetched = {"requirements.txt": b"torch\n", ".github/workflows/tests.yml": b"- run: pytest\n"}
    result = check_text(REPORT, files=TreeFiles(tree), question_set=COURSE, sets=(COURSE,),
                        listing=RepoListing(tree, fetched.get, True))
    items = {item.claim: item for item in result.checklist_items}
    assert items["tracking"].evidence == "not-checkable"  # wandb may be in requirements_dev.txt, not read
    assert items["tracking"].reason == "`requirements_dev.txt` may show it but was not read"
    assert items["lint"].reason == "`.github/workflows/lint.yml` may show it but was not read"
    assert items["containers"].evidence == "none"


def test_items_only_run_for_a_set_with_evidence_rules() -> None:
    groups = (ChecklistGroup("Week 1", 1, (ChecklistItem(3, True, "We packaged the model in containers (M10)",
                                                         ("M10",)),)),)
    assert evidence.assess(None, groups, RepoSample(("a.py",), {})) == (
        evidence.assess(None, groups, None))
    assert evidence.assess(None, groups, None)[0].evidence is None


def test_a_file_list_with_a_gap_finds_what_it_lists_and_never_says_none() -> None:
    tree = ("reports/README.md", "docker/api.Dockerfile")
    gap = "the batched scan lists folders only 6 levels deep"
    result = check_text(REPORT, files=TreeFiles(tree), question_set=COURSE, sets=(COURSE,),
                        listing=RepoListing(tree, {}.get, True, gap))
    items = {item.claim: item for item in result.checklist_items}
    assert (items["containers"].evidence, items["containers"].paths) == ("found", ("docker/api.Dockerfile",))
    assert (items["tracking"].evidence, items["tracking"].reason) == (
        "not-checkable", f"no listed file shows it, but {gap}")
    assert "checklist-unbacked" not in {f.rule for f in result.findings}
    whole = check_text(REPORT, files=TreeFiles(tree), question_set=COURSE, sets=(COURSE,),
                       listing=RepoListing(tree, {}.get, True))
    assert {item.claim: item.evidence for item in whole.checklist_items}["tracking"] == "none"
