"""The Dockerfile, read and checked, and its steps run without Docker (no Docker engine runs here).

The build tests take the Dockerfile's own COPY (through `.dockerignore`), RUN, ENV, HEALTHCHECK
and CMD lines, map the image's folders into a temporary one, and run them with the interpreter
running the tests in place of the base image's: they cannot drift from the Dockerfile.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import tomllib
import urllib.request
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from tests.support.constraints import normalized, pins
from tests.support.live_server import free_port, stop, wait_until_answers
from tests.support.repository import ROOT

# The module builds the image's virtual environment with pip and starts servers from it.
pytestmark = pytest.mark.slow

DOCKERFILE = ROOT / "Dockerfile"
# The image's own folders; everything else (/usr/local, /tmp, …) is the base image's or the machine's.
IMAGE_FOLDERS = re.compile(r"(?<![\w.:/-])/(?:opt|srv|src|app)(?=[/\s'\"]|$)")
# The base image's `python` on the command line (not `/opt/…/bin/python`): here, the tests' interpreter.
BASE_PYTHON = re.compile(r"(?<![\w./-])python(?= )")


@dataclass
class Stage:
    """One FROM … stage: its base image, name and instructions in order."""

    image: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [argument for instruction, argument in self.instructions if instruction == keyword]


def _stages() -> list[Stage]:
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text(encoding="utf-8"))
    stages: list[Stage] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, argument = line.partition(" ")
        if keyword.upper() == "FROM":
            image, _, name = argument.partition(" AS ")
            stages.append(Stage(image.strip(), name.strip() or None))
        else:
            stages[-1].instructions.append((keyword.upper(), argument.strip()))
    return stages


def _env(stage: Stage, base: dict[str, str] | None = None, root: Path | None = None) -> dict[str, str]:
    """The stage's ENV on top of `base`, `$NAME` and `${NAME}` expanded as Docker does.

    With `root`, the image's own folders in the values move under it (before expansion, so
    the machine's folders in `base` stay where they are).
    """
    variables = dict(base or {})
    for argument in stage.all("ENV"):
        for pair in shlex.split(argument):
            name, _, value = pair.partition("=")
            value = value if root is None else _in_image(root, value)
            variables[name] = re.sub(r"\$\{?(\w+)\}?", lambda match: variables.get(match.group(1), ""), value)
    return variables


def _exec_form(argument: str) -> list[str]:
    command = json.loads(argument)
    assert isinstance(command, list), f"not the exec (JSON) form: {argument}"
    return [str(part) for part in command]


def _pyproject_version() -> str:
    return str(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"])


def test_it_builds_in_stages_from_one_pinned_slim_python() -> None:
    stages = _stages()
    assert len(stages) >= 2
    for stage in stages:
        assert re.fullmatch(r"python:3\.\d+(\.\d+)?-slim(-\w+)?", stage.image), stage.image
    # The virtual environment links to the base image's interpreter: both stages need the same one.
    assert len({stage.image for stage in stages}) == 1
    final = stages[-1]
    assert final.all("COPY")
    assert all(copy.startswith(f"--from={stages[0].name} ") for copy in final.all("COPY"))


def test_the_final_stage_runs_as_a_non_root_user() -> None:
    final = _stages()[-1]
    keywords = [instruction for instruction, _ in final.instructions]
    [user] = final.all("USER")
    # uid:gid, numeric and not 0, so Kubernetes' runAsNonRoot can check it without /etc/passwd.
    assert re.fullmatch(r"[1-9]\d*:[1-9]\d*", user), user
    assert keywords.index("USER") < keywords.index("CMD")
    assert keywords.index("USER") > max(index for index, word in enumerate(keywords) if word in ("RUN", "COPY"))


def test_it_has_a_healthcheck_an_exposed_port_a_command_and_production_settings() -> None:
    final = _stages()[-1]
    environment = _env(final)
    [healthcheck] = final.all("HEALTHCHECK")
    assert "/healthz" in healthcheck
    assert "RECAPQL_PORT" in healthcheck  # follows `docker run -e RECAPQL_PORT=…`
    assert final.all("EXPOSE") == [environment["RECAPQL_PORT"]]
    assert _exec_form(final.all("CMD")[0]) == ["recapql", "serve"]
    assert environment["RECAPQL_HOST"] == "0.0.0.0"
    assert environment["RECAPQL_ENV"] == "production"
    assert environment["RECAPQL_LOG_FORMAT"] == "json"
    assert environment["RECAPQL_STORE"].startswith("/")
    assert environment["PYTHONDONTWRITEBYTECODE"] == environment["PYTHONUNBUFFERED"] == "1"


def test_the_image_is_labelled_with_the_project_s_version() -> None:
    [label] = _stages()[-1].all("LABEL")
    labels = dict(pair.partition("=")[::2] for pair in shlex.split(label))
    assert labels["org.opencontainers.image.version"] == _pyproject_version()
    assert labels["org.opencontainers.image.title"] == "recapql"


def test_it_holds_no_secrets_and_no_floating_tags() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    for stage in _stages():
        names = [*_env(stage), *(argument.partition("=")[0] for argument in stage.all("ARG"))]
        assert not [name for name in names if re.search(r"PASSWORD|TOKEN|SECRET|KEY|CREDENTIAL", name, re.I)]
        assert not stage.all("ADD")  # COPY only: no URLs, no archives unpacked by surprise
    assert not re.search(r":latest\b", text)


def test_the_build_context_is_only_what_the_build_copies() -> None:
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert "*" in ignored  # everything is out unless listed
    assert {".venv", ".git"} <= set(ignored)
    patterns = _ignore_patterns()
    for path in (".venv/bin/python", ".git/HEAD", "bench/results/x.json", "artifacts/a.png", "tests/conftest.py"):
        assert _ignored(path, patterns), path
    for path in ("pyproject.toml", "README.md", "constraints.txt", "recapql/cli.py", "seed/recaps/kubecon-eu-2018.md"):
        assert not _ignored(path, patterns), path
    assert _ignored("recapql/__pycache__/cli.cpython-311.pyc", patterns)


def _ignore_patterns() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _ignored(path: str, patterns: list[str]) -> bool:
    """Docker's rule: the last pattern matching the path or one of its parent folders wins."""
    parts = path.split("/")
    prefixes = ["/".join(parts[: count + 1]) for count in range(len(parts))]
    ignored = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        expression = re.escape(pattern.removeprefix("!").strip("/"))
        expression = expression.replace(r"\*\*/", "(?:.*/)?").replace(r"\*\*", ".*")
        expression = expression.replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
        if any(re.fullmatch(expression, prefix) for prefix in prefixes):
            ignored = not negated
    return ignored


@dataclass(frozen=True)
class BuiltImage:
    """The Dockerfile's steps, run: the image's folders under `root`, and what its CMD is started with."""

    root: Path
    environment: dict[str, str]
    command: list[str]
    healthcheck: list[str]

    def path(self, image_path: str) -> Path:
        return Path(_in_image(self.root, image_path))


def _in_image(root: Path, text: str) -> str:
    """`text` with every path in the image's own folders moved under `root`."""
    return IMAGE_FOLDERS.sub(lambda match: str(root) + match.group(0), text)


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> BuiltImage:
    """Run the build stage's COPY and RUN lines, then the final stage's COPY --from lines."""
    stages = _stages()
    build, final = stages[0], stages[-1]
    root = tmp_path_factory.mktemp("image")
    # This machine's environment (its package index settings included), but nothing of recapql's.
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("RECAPQL_", "VIRTUAL_ENV", "PROMETHEUS_MULTIPROC_DIR"))
    }

    [workdir] = build.all("WORKDIR")
    context = Path(_in_image(root, workdir))
    context.mkdir(parents=True)
    patterns = _ignore_patterns()
    for copy in build.all("COPY"):
        *sources, target = copy.split()
        for source in sources:
            _copy_context(source, context / target if len(sources) == 1 else context / target / source, patterns)
    environment = _env(build, base)
    for run in build.all("RUN"):
        command = BASE_PYTHON.sub(lambda _: sys.executable, _in_image(root, run))
        # Docker runs RUN lines with `/bin/sh -c`, umask 022, in the WORKDIR.
        subprocess.run(["/bin/sh", "-c", command], cwd=context, env=environment, check=True, timeout=600, umask=0o022)

    for copy in final.all("COPY"):
        source_path, target_path = (Path(_in_image(root, part)) for part in copy.split()[1:])
        if source_path == target_path:  # the same path in both stages is one folder here
            continue
        _make_folders(target_path.parent)
        shutil.copy2(source_path, target_path)
    # The final stage's only RUN lines make its user: that would change this machine, so they do not run.
    for run in final.all("RUN"):
        assert all(step.split()[0] in ("groupadd", "useradd") for step in run.split("&&")), run
    return BuiltImage(
        root,
        _env(final, base, root),
        _exec_form(final.all("CMD")[0]),
        _exec_form(final.all("HEALTHCHECK")[0].split(" CMD ", 1)[1]),
    )


def _make_folders(folder: Path) -> None:
    """`mkdir -p` as COPY does it: the folders it makes are rwxr-xr-x, whatever the umask."""
    for missing in reversed([folder, *folder.parents]):
        if not missing.exists():
            missing.mkdir()
            missing.chmod(0o755)


def _copy_context(source: str, target: Path, patterns: list[str]) -> None:
    """COPY from the build context: `source` as `.dockerignore` lets it through."""
    origin = ROOT / source
    assert not _ignored(source, patterns), f"{source} is left out of the build context"
    if origin.is_file():
        target = target / origin.name if target.is_dir() or str(target).endswith("/") else target
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(origin, target)
        return
    for file in origin.rglob("*"):
        relative = file.relative_to(ROOT).as_posix()
        if file.is_file() and not _ignored(relative, patterns):
            destination = target / file.relative_to(origin)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, destination)


def test_the_image_holds_recapql_no_installer_and_a_store_its_user_can_read(image: BuiltImage) -> None:
    venv = image.path("/opt/recapql")
    assert (venv / "bin" / "recapql").is_file()
    site_packages = next((venv / "lib").glob("python3.*/site-packages"))
    assert not [*site_packages.glob("pip*"), *site_packages.glob("setuptools*")]
    store = Path(image.environment["RECAPQL_STORE"])
    assert store.stat().st_size > 0
    # COPY gives every file to root and the process runs as another user: all must be readable
    # by "others", and every folder on the way searchable.
    in_image = [path for path in store.parents if path.is_relative_to(image.root) and path != image.root]
    for path in [store, *in_image, venv, *venv.rglob("*")]:
        mode = path.stat().st_mode
        assert mode & stat.S_IROTH, path
        if stat.S_ISDIR(mode):
            assert mode & stat.S_IXOTH, path


def test_the_image_runs_the_installed_wheel_of_this_version(image: BuiltImage) -> None:
    # From `/`, as the container starts: every package must come from the venv's site-packages,
    # a wheel with all five (not a source tree, nor PyPI's unrelated `schema`, `store` or `seed`).
    site_packages = next(image.path("/opt/recapql").glob("lib/python3.*/site-packages"))
    packages = ("recapql", "schema", "resolvers", "store", "seed")
    script = (
        f"import importlib, json; print(json.dumps([importlib.import_module(name).__file__ for name in {packages}]))"
    )
    python = str(image.path("/opt/recapql/bin/python"))
    found = subprocess.run(
        [python, "-c", script], cwd="/", env=image.environment, capture_output=True, text=True, check=True, timeout=30
    )
    for module_file in json.loads(found.stdout):
        assert Path(module_file).is_relative_to(site_packages), module_file
    assert [path.name for path in site_packages.glob("recapql-*.dist-info")] == [
        f"recapql-{_pyproject_version()}.dist-info"
    ]
    # An editable install would be a .pth file pointing back at the source tree.
    assert not [pth for pth in site_packages.glob("*.pth") if str(ROOT) in pth.read_text(encoding="utf-8")]
    # The image installs what the tests ran with: every package at its constraints.txt version.
    installed = {
        normalized(dist.metadata["Name"]): dist.version for dist in metadata.distributions(path=[str(site_packages)])
    }
    del installed["recapql"]
    assert "strawberry-graphql" in installed
    assert installed.items() <= pins().items()
    version = subprocess.run(
        [*image.command[:1], "--version"], cwd="/", env=image.environment, capture_output=True, text=True, timeout=30
    )
    assert version.stdout.split() == ["recapql,", "version", _pyproject_version()]


# One worker as the Deployment runs it; two as `RECAPQL_WORKERS=2` would, whose metrics directory
# must live under TMPDIR (the emptyDir at /tmp) because the root file system is read-only.
@pytest.mark.parametrize("workers", ["1", "2"])
def test_the_image_serves_the_api_in_production_and_its_healthcheck_follows_the_server(
    image: BuiltImage, tmp_path: Path, workers: str
) -> None:
    store = Path(image.environment["RECAPQL_STORE"])
    before = (sorted(store.parent.iterdir()), hashlib.sha256(store.read_bytes()).hexdigest())
    port = free_port()
    # The image's user has no home; /tmp is the only writable place (an emptyDir in Kubernetes).
    environment = {**image.environment, "HOME": "/nonexistent", "TMPDIR": str(tmp_path)}
    environment.update(RECAPQL_HOST="127.0.0.1", RECAPQL_PORT=str(port), RECAPQL_WORKERS=workers)
    url = f"http://127.0.0.1:{port}"
    with subprocess.Popen(
        image.command, cwd="/", env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    ) as server:
        try:
            wait_until_answers(f"{url}/readyz", server, timeout=60)
            assert _run(image.healthcheck, environment) == 0
            days = _post(url, "{ days { date } }")
            assert len(days["data"]["days"]) == 4
            introspection = _post(url, "{ __schema { queryType { name } } }")
            assert introspection["errors"][0]["message"].startswith("GraphQL introspection has been disabled")
            with urllib.request.urlopen(f"{url}/", timeout=5) as page:
                assert page.headers["content-type"].startswith("text/html")
            with urllib.request.urlopen(f"{url}/metrics", timeout=5) as metrics:
                assert b"recapql_graphql_requests_total" in metrics.read()
            if workers != "1":
                assert [path.name[:16] for path in tmp_path.iterdir()] == ["recapql-metrics-"]
        finally:
            stop(server)
        log = server.stderr.read() if server.stderr else ""
    assert _run(image.healthcheck, environment) != 0  # nothing answers any more
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    assert any(line.get("path") == "/healthz" and line.get("status") == 200 for line in lines), log
    assert (sorted(store.parent.iterdir()), hashlib.sha256(store.read_bytes()).hexdigest()) == before
    assert not list(tmp_path.iterdir())  # the metrics directory goes with the server


def _run(command: list[str], environment: dict[str, str]) -> int:
    return subprocess.run(command, env=environment, timeout=30, check=False, capture_output=True).returncode


def _post(url: str, query: str) -> Any:
    request = urllib.request.Request(
        f"{url}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"content-type": "application/json", "accept": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)
