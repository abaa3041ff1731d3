"""The Kubernetes manifests: valid against the Kubernetes schemas (offline), secure, and wired together."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from kubernetes_validate.utils import latest_version

MANIFESTS = Path(__file__).resolve().parent.parent / "deploy" / "kubernetes"
KINDS = {"deployment.yaml": "Deployment", "service.yaml": "Service", "hpa.yaml": "HorizontalPodAutoscaler",
         "pdb.yaml": "PodDisruptionBudget"}  # fmt: skip


def _load(name: str) -> dict[str, Any]:
    return dict(yaml.safe_load((MANIFESTS / name).read_text(encoding="utf-8")))


@pytest.mark.parametrize("name", list(KINDS))
def test_every_manifest_is_valid_against_the_kubernetes_schema(name: str) -> None:
    manifest = _load(name)
    assert manifest["kind"] == KINDS[name]
    # Strict: unknown fields are errors too. The schemas ship inside the package, no network.
    kubernetes_validate.validate(manifest, latest_version(), strict=True)


def test_the_validation_catches_a_mistake() -> None:
    manifest = _load("deployment.yaml")
    manifest["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGet"]["paht"] = "/readyz"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(manifest, latest_version(), strict=True)


def test_kustomize_lists_every_manifest() -> None:
    assert sorted(_load("kustomization.yaml")["resources"]) == sorted(KINDS)


def _pod() -> dict[str, Any]:
    return dict(_load("deployment.yaml")["spec"]["template"]["spec"])


def test_the_pod_runs_as_a_non_root_user_without_privileges() -> None:
    pod = _pod()
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] == 10001
    assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
    assert pod["automountServiceAccountToken"] is False
    for container in pod["containers"]:
        security = container["securityContext"]
        assert security["allowPrivilegeEscalation"] is False
        assert security["readOnlyRootFilesystem"] is True
        assert security["capabilities"]["drop"] == ["ALL"]
        assert "add" not in security["capabilities"]


def test_only_tmp_is_writable() -> None:
    pod = _pod()
    [container] = pod["containers"]
    assert [mount["mountPath"] for mount in container["volumeMounts"]] == ["/tmp"]
    assert pod["volumes"] == [{"name": "tmp", "emptyDir": {"sizeLimit": "64Mi"}}]


def test_every_container_has_requests_and_limits() -> None:
    for container in _pod()["containers"]:
        for kind in ("requests", "limits"):
            assert set(container["resources"][kind]) == {"cpu", "memory"}


def test_the_probes_ask_healthz_and_readyz_on_the_container_port() -> None:
    [container] = _pod()["containers"]
    [port] = container["ports"]
    assert port["containerPort"] == 8000
    probes = {name: container[name]["httpGet"] for name in ("startupProbe", "livenessProbe", "readinessProbe")}
    assert probes["livenessProbe"]["path"] == "/healthz"
    assert probes["startupProbe"]["path"] == "/healthz"
    assert probes["readinessProbe"]["path"] == "/readyz"
    assert {probe["port"] for probe in probes.values()} == {port["name"]}


def test_the_service_hpa_and_pdb_reach_the_deployment_s_pods() -> None:
    deployment = _load("deployment.yaml")
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    service = _load("service.yaml")["spec"]
    assert service["selector"].items() <= labels.items()
    [container] = deployment["spec"]["template"]["spec"]["containers"]
    assert service["ports"][0]["targetPort"] == container["ports"][0]["name"]
    assert _load("pdb.yaml")["spec"]["selector"]["matchLabels"].items() <= labels.items()
    target = _load("hpa.yaml")["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", deployment["metadata"]["name"])
    assert _load("hpa.yaml")["spec"]["minReplicas"] >= _load("pdb.yaml")["spec"]["minAvailable"] + 1


def test_the_deployment_runs_the_image_of_this_version() -> None:
    [container] = _pod()["containers"]
    version = Path(__file__).resolve().parent.parent.joinpath("pyproject.toml").read_text(encoding="utf-8")
    assert f'version = "{container["image"].split(":")[1]}"' in version
    assert container["image"].split(":")[1] != "latest"
