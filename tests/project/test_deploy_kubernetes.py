"""The Kubernetes manifests: valid against the Kubernetes schemas (offline), secure, and wired together."""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from recapql.serving.server import GRACEFUL_SHUTDOWN_SECONDS
from recapql.settings import Settings, SettingsError
from tests.support.live_server import live_server
from tests.support.repository import ROOT

MANIFESTS = ROOT / "deploy" / "kubernetes"
KINDS = {"deployment.yaml": "Deployment", "service.yaml": "Service", "hpa.yaml": "HorizontalPodAutoscaler",
         "pdb.yaml": "PodDisruptionBudget"}  # fmt: skip
# The oldest Kubernetes the manifests are for (the preStop `sleep` action is on by default from
# 1.30) and the newest whose schemas kubernetes-validate bundles. The schemas ship inside the
# package: no network.
KUBERNETES_VERSIONS = ("1.30", "1.37")


def _load(name: str) -> dict[str, Any]:
    return dict(yaml.safe_load((MANIFESTS / name).read_text(encoding="utf-8")))


def _pod() -> dict[str, Any]:
    return dict(_load("deployment.yaml")["spec"]["template"]["spec"])


def _container() -> dict[str, Any]:
    [container] = _pod()["containers"]
    return dict(container)


def _env() -> dict[str, str]:
    return {variable["name"]: variable["value"] for variable in _container()["env"]}


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize("name", list(KINDS))
def test_every_manifest_is_valid_against_the_kubernetes_schema(name: str, version: str) -> None:
    manifest = _load(name)
    assert manifest["kind"] == KINDS[name]
    # Strict: unknown fields are errors too.
    assert kubernetes_validate.validate(manifest, version, strict=True) == version


def test_the_validation_catches_a_mistake() -> None:
    manifest = _load("deployment.yaml")
    manifest["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGet"]["paht"] = "/readyz"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(manifest, KUBERNETES_VERSIONS[-1], strict=True)


def test_kustomize_lists_every_manifest() -> None:
    assert sorted(_load("kustomization.yaml")["resources"]) == sorted(KINDS)


def test_the_pod_runs_as_the_image_s_non_root_user_without_privileges() -> None:
    pod = _pod()
    assert pod["securityContext"]["runAsNonRoot"] is True
    [dockerfile_user] = re.findall(r"^USER (\d+):(\d+)$", (ROOT / "Dockerfile").read_text(encoding="utf-8"), re.M)
    assert (pod["securityContext"]["runAsUser"], pod["securityContext"]["runAsGroup"]) == tuple(
        map(int, dockerfile_user)
    )
    assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
    assert pod["automountServiceAccountToken"] is False
    for container in pod["containers"]:
        security = container["securityContext"]
        assert security["allowPrivilegeEscalation"] is False
        assert security["readOnlyRootFilesystem"] is True
        assert security["privileged"] is False
        assert security["capabilities"]["drop"] == ["ALL"]
        assert "add" not in security["capabilities"]


def test_only_tmp_is_writable() -> None:
    pod = _pod()
    assert [mount["mountPath"] for mount in _container()["volumeMounts"]] == ["/tmp"]
    assert pod["volumes"] == [{"name": "tmp", "emptyDir": {"sizeLimit": "64Mi"}}]


def test_every_container_has_requests_and_limits() -> None:
    for container in _pod()["containers"]:
        for kind in ("requests", "limits"):
            assert set(container["resources"][kind]) == {"cpu", "memory"}


def test_the_probes_ask_healthz_and_readyz_on_the_image_s_port() -> None:
    container = _container()
    [port] = container["ports"]
    [exposed] = re.findall(r"^EXPOSE (\d+)$", (ROOT / "Dockerfile").read_text(encoding="utf-8"), re.M)
    assert port["containerPort"] == int(exposed) == int(_env()["RECAPQL_PORT"])
    probes = {name: container[name]["httpGet"] for name in ("startupProbe", "livenessProbe", "readinessProbe")}
    assert probes["livenessProbe"]["path"] == "/healthz"
    assert probes["startupProbe"]["path"] == "/healthz"
    assert probes["readinessProbe"]["path"] == "/readyz"
    assert {probe["port"] for probe in probes.values()} == {port["name"]}


def test_prometheus_scrapes_metrics_on_the_container_port() -> None:
    annotations = _load("deployment.yaml")["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true"
    assert annotations["prometheus.io/path"] == "/metrics"
    assert int(annotations["prometheus.io/port"]) == _container()["ports"][0]["containerPort"]


def test_service_links_are_off_because_they_would_set_recapql_port() -> None:
    # A Service named recapql makes Kubernetes give pods RECAPQL_PORT=tcp://<cluster ip>:80.
    with pytest.raises(SettingsError, match="RECAPQL_PORT"):
        Settings.from_env({"RECAPQL_PORT": "tcp://10.96.0.12:80"})
    assert _load("service.yaml")["metadata"]["name"] == "recapql"
    assert _pod()["enableServiceLinks"] is False
    assert "RECAPQL_PORT" in _env()  # and, were they on, the container's own value would win


def test_a_terminating_pod_finishes_its_requests_within_the_grace_period() -> None:
    pause = _container()["lifecycle"]["preStop"]["sleep"]["seconds"]
    assert pause > 0
    assert pause + GRACEFUL_SHUTDOWN_SECONDS < _pod()["terminationGracePeriodSeconds"]


@pytest.mark.slow
def test_the_pod_s_environment_serves_every_probe_path(store_path: Path) -> None:
    # The image supplies RECAPQL_STORE; here it is the test store, so the default store is never touched.
    with live_server(env={**_env(), "RECAPQL_STORE": str(store_path)}) as server:
        container = _container()
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            with urllib.request.urlopen(server.url + container[probe]["httpGet"]["path"], timeout=5) as response:
                assert response.status == 200
        path = _load("deployment.yaml")["spec"]["template"]["metadata"]["annotations"]["prometheus.io/path"]
        with urllib.request.urlopen(server.url + path, timeout=5) as response:
            assert b"recapql_store_sessions 24.0" in response.read()


def test_the_service_hpa_and_pdb_reach_the_deployment_s_pods() -> None:
    deployment = _load("deployment.yaml")
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    service = _load("service.yaml")["spec"]
    assert service["selector"].items() <= labels.items()
    assert service["ports"][0]["targetPort"] == _container()["ports"][0]["name"]
    assert _load("pdb.yaml")["spec"]["selector"]["matchLabels"].items() <= labels.items()
    for constraint in deployment["spec"]["template"]["spec"]["topologySpreadConstraints"]:
        assert constraint["labelSelector"]["matchLabels"].items() <= labels.items()
    target = _load("hpa.yaml")["spec"]["scaleTargetRef"]
    assert (target["apiVersion"], target["kind"], target["name"]) == (
        deployment["apiVersion"],
        "Deployment",
        deployment["metadata"]["name"],
    )


def test_there_are_always_two_replicas_and_a_disruption_leaves_one() -> None:
    deployment, hpa, pdb = _load("deployment.yaml"), _load("hpa.yaml"), _load("pdb.yaml")
    assert deployment["spec"]["replicas"] >= 2
    assert hpa["spec"]["minReplicas"] >= 2
    assert pdb["spec"]["minAvailable"] < hpa["spec"]["minReplicas"]  # a node can still be drained
    assert deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    [metric] = hpa["spec"]["metrics"]
    assert metric["resource"]["name"] == "cpu"  # a percentage of the CPU request, which is set
    assert "cpu" in _container()["resources"]["requests"]


def test_the_deployment_runs_the_image_of_this_version() -> None:
    name, _, tag = _container()["image"].partition(":")
    version = re.search(r'^version = "(.+)"$', (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    assert version is not None
    assert (name, tag) == ("recapql", version.group(1))
    assert _load("deployment.yaml")["metadata"]["labels"]["app.kubernetes.io/version"] == tag
