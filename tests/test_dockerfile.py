"""The Dockerfile, read and checked, and its steps run in a virtual environment (no Docker engine here).

The build test takes the Dockerfile's own COPY, RUN, ENV, HEALTHCHECK and CMD lines, maps the
image's paths into a temporary folder, and runs them: it cannot drift from the Dockerfile.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from live_server import free_port, wait_until_answers

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"


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
        if keyword == "FROM":
            image, _, name = argument.partition(" AS ")
            stages.append(Stage(image.strip(), name.strip() or None))
        else:
            stages[-1].instructions.append((keyword, argument.strip()))
    return stages


def _env(stage: Stage) -> dict[str, str]:
    variables = {}
    for argument in stage.all("ENV"):
        for pair in shlex.split(argument):
            name, _, value = pair.partition("=")
            variables[name] = value
    return variables


def test_it_builds_in_stages_from_a_pinned_slim_python() -> None:
    stages = _stages()
    assert len(stages) >= 2
    for stage in stages:
        assert re.fullmatch(r"python:3\.\d+(\.\d+)?-slim(-\w+)?", stage.image), stage.image
    final = stages[-1]
    assert final.all("COPY")
    assert all(copy.startswith("--from=") for copy in final.all("COPY"))


def test_the_final_stage_runs_as_a_non_root_user() -> None:
    final = _stages()[-1]
    keywords = [instruction for instruction, _ in final.instructions]
    [user] = final.all("USER")
    assert user.split(":")[0] not in ("root", "0")
    assert keywords.index("USER") < keywords.index("CMD")
    assert keywords.index("USER") > max(index for index, word in enumerate(keywords) if word in ("RUN", "COPY"))


def test_it_has_a_healthcheck_an_exposed_port_and_a_command() -> None:
    final = _stages()[-1]
    [healthcheck] = final.all("HEALTHCHECK")
    assert "/healthz" in healthcheck
    assert final.all("EXPOSE") == [_env(final)["RECAPQL_PORT"]]
    assert json.loads(final.all("CMD")[0]) == ["recapql", "serve"]
    assert _env(final)["RECAPQL_HOST"] == "0.0.0.0"
    assert _env(final)["RECAPQL_ENV"] == "production"


def test_it_holds_no_secrets_and_no_floating_tags() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    for stage in _stages():
        assert not any(re.search(r"PASSWORD|TOKEN|SECRET|API_KEY", name, re.IGNORECASE) for name in _env(stage))
    assert ":latest" not in text
    assert not re.search(r"^ADD\s+https?://", text, re.MULTILINE)


def test_the_build_context_leaves_out_the_venv_and_git() -> None:
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert "*" in ignored  # everything is out unless listed
    assert {".venv", ".git"} <= set(ignored)
    copied = {source.rstrip("/") for argument in _stages()[0].all("COPY") for source in argument.split()[:-1]}
    allowed = {line.removeprefix("!").rstrip("/") for line in ignored if line.startswith("!")}
    assert copied <= allowed


@pytest.mark.skipif(shutil.which("bash") is None, reason="the RUN lines are shell commands")
def test_the_image_s_steps_build_seed_and_serve_in_a_virtual_environment(tmp_path: Path) -> None:
    build, final = _stages()[0], _stages()[-1]
    paths = {
        "/opt/recapql-data": tmp_path / "data",
        "/opt/recapql": tmp_path / "venv",
        "/srv/recapql": tmp_path / "srv",
    }

    def mapped(text: str) -> str:
        for image_path, local in sorted(paths.items(), key=lambda item: -len(item[0])):
            text = text.replace(image_path, str(local))
        return text

    # The build stage: its COPY lines make the context, its RUN lines run in it.
    context = tmp_path / "src"
    context.mkdir()
    for copy in build.all("COPY"):
        *sources, _ = copy.split()
        for source in sources:
            origin = ROOT / source
            if origin.is_dir():
                shutil.copytree(origin, context / source, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(origin, context / source)
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("RECAPQL_", "VIRTUAL_ENV"))}
    environment.update(_env(build))
    for run in build.all("RUN"):
        # `python` is the image's interpreter: here, the one running the tests.
        command = mapped(run).replace("python -m venv", f"{sys.executable} -m venv", 1)
        subprocess.run(["bash", "-c", command], cwd=context, env=environment, check=True, timeout=600)

    # The final stage: copy what it copies from the build stage, then run its command.
    for copy in final.all("COPY"):
        source, target = (mapped(part) for part in copy.removeprefix("--from=build ").split())
        if source == target:  # the same path in both stages is the same folder here
            continue
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        if Path(source).is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)
    runtime = {**environment, **{name: mapped(value) for name, value in _env(final).items()}}
    runtime["PATH"] = runtime["PATH"].replace("$PATH", os.environ["PATH"])
    runtime.update(RECAPQL_HOST="127.0.0.1", RECAPQL_PORT=str(free_port()))
    with subprocess.Popen(
        json.loads(final.all("CMD")[0]), env=runtime, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    ) as server:
        try:
            wait_until_answers(f"http://127.0.0.1:{runtime['RECAPQL_PORT']}/readyz", server, timeout=60)
            healthcheck = json.loads(final.all("HEALTHCHECK")[0].split(" CMD ", 1)[1])
            assert subprocess.run(healthcheck, env=runtime, timeout=30, check=False).returncode == 0
        finally:
            server.terminate()
            server.wait(timeout=30)
        log = server.stderr.read() if server.stderr else ""
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    assert any(line.get("path") == "/healthz" and line.get("status") == 200 for line in lines), log
