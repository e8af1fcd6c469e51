"""The CI workflow parses, runs the README's commands, checks pull requests and deploys main."""

from __future__ import annotations

import re

import yaml
from helpers import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def runs(workflow: dict) -> list[str]:
    return [step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]


def test_readme_has_exactly_two_quick_start_commands_and_ci_runs_the_second() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_workflow_parses_and_names_the_readme_commands() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads "on" as true
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    commands = runs(workflow)
    for command in quick_start_commands():
        assert command in commands, command
    assert any("python -m build_tools check" in command for command in commands)
    assert any("build_tools diff" in command and "GITHUB_STEP_SUMMARY" in command for command in commands)
    assert any("properdocs build --strict" in command for command in commands)


def test_main_is_deployed_to_github_pages() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    uses = [step.get("uses", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    deploy = workflow["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert "refs/heads/main" in deploy["if"]


# Hardening: the trust boundary is the pull request, whose code (from a fork too) is untrusted.

SHA_PIN = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[^@\s]+)?@[0-9a-f]{40}")
UNTRUSTED = ("github.base_ref", "github.head_ref", "github.event.")


def workflow_text() -> str:
    return WORKFLOW.read_text(encoding="utf-8")


def load() -> dict:
    return yaml.safe_load(workflow_text())


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def squeeze(expression: object) -> str:
    return re.sub(r"\s+", "", str(expression)).replace('"', "'")


def test_every_action_is_pinned_to_a_full_commit_sha_with_its_version_in_a_comment() -> None:
    uses = [step["uses"] for step in steps(load()) if "uses" in step]
    assert uses
    for used in uses:
        assert SHA_PIN.fullmatch(used), f"{used} is not pinned to a 40-hex commit SHA"
    lines = [line.strip() for line in workflow_text().splitlines() if re.match(r"\s*(- )?uses:", line)]
    assert len(lines) == len(uses)
    for line in lines:
        assert re.fullmatch(r"(- )?uses: \S+@[0-9a-f]{40} # v\d+(\.\d+)*", line), line


def test_every_checkout_leaves_no_credentials_behind() -> None:
    checkouts = [step for step in steps(load()) if step.get("uses", "").startswith("actions/checkout@")]
    assert len(checkouts) == 3
    for checkout in checkouts:
        assert checkout.get("with", {}).get("persist-credentials") is False


def test_no_run_script_interpolates_untrusted_context() -> None:
    workflow = load()
    for command in runs(workflow):
        for expression in re.findall(r"\$\{\{(.*?)\}\}", command, flags=re.DOTALL):
            assert not any(name in expression for name in UNTRUSTED), command
    diff = next(step for step in steps(workflow) if "build_tools diff" in step.get("run", ""))
    assert '"origin/$BASE_REF"' in diff["run"] and "${{" not in diff["run"]
    assert squeeze(diff["env"]["BASE_REF"]) == "${{github.base_ref}}"


def test_every_job_has_a_timeout() -> None:
    for name, job in load()["jobs"].items():
        assert isinstance(job.get("timeout-minutes"), int) and 0 < job["timeout-minutes"] <= 30, name


def test_only_pull_requests_are_cancelled_and_a_deployment_is_never_cancelled() -> None:
    workflow = load()
    assert squeeze(workflow["concurrency"]["cancel-in-progress"]) == "${{github.event_name=='pull_request'}}"
    deploy = workflow["jobs"]["deploy"]["concurrency"]
    assert deploy["cancel-in-progress"] is False
    assert deploy["group"] == "pages-deploy" != workflow["concurrency"]["group"]


def test_permissions_stay_least_privilege() -> None:
    workflow = load()
    assert workflow["permissions"] == {"contents": "read"}
    assert [name for name, job in workflow["jobs"].items() if "permissions" in job] == ["deploy"]


def test_the_build_job_alone_caches_the_citations_and_their_key() -> None:
    workflow = load()
    cached = {name: [step for step in job["steps"] if step.get("uses", "").startswith("actions/cache@")]
              for name, job in workflow["jobs"].items()}
    assert {name: len(found) for name, found in cached.items() if found} == {"check-and-build": 1}
    cache = cached["check-and-build"][0]["with"]
    assert cache["path"].split() == [".cache/build_tools", "~/.cache/build_tools"]
    assert squeeze(cache["key"]) == "references-${{hashFiles('bibliography.bib','build_tools/**')}}"
