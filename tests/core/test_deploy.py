"""deploy/: the Compose file and the systemd units are well-formed, every service has a health
check, and every command they run exists (Docker cannot run here; this is what can be checked)."""

import re
import shlex
from pathlib import Path

import click
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def flask_commands(app, words: list[str]) -> None:
    """`flask A B …` names a command (or a group's command) that `flask --help` lists."""
    ctx = click.Context(app.cli)
    command = app.cli
    for word in words:
        if word.startswith("-") or not isinstance(command, click.Group):
            break
        found = command.get_command(ctx, word)
        assert found is not None, f"flask {' '.join(words)}: no command {word!r}"
        command = found


def commands_in(text: str) -> list[list[str]]:
    """The flask command lines in a shell line or an ExecStart."""
    found = []
    for part in re.split(r"[;&|]+", text):
        words = shlex.split(part)
        for i, word in enumerate(words):
            if word == "flask" or word.endswith("/flask"):
                found.append([w for w in words[i + 1 :] if not w.startswith("--app")])
                break
    return found


def test_the_compose_file_follows_the_compose_specification():
    """What `docker compose config` would refuse: the file checked against the Compose
    specification's JSON schema."""
    import json
    from importlib.resources import files

    import jsonschema

    schema = files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    jsonschema.validate(compose(), json.loads(schema.read_text()))
    broken = compose()
    broken["services"]["app1"]["helthcheck"] = broken["services"]["app1"].pop("healthcheck")  # a typo
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, json.loads(schema.read_text()))


def test_compose_services_have_health_checks_and_real_commands(app):
    services = compose()["services"]
    assert {"db", "app1", "app2", "proxy", "print-worker", "outbox-worker", "replica"} <= set(services)
    for name, service in services.items():
        if name == "migrate":
            assert service["command"] == ["flask", "db", "upgrade"]
            continue
        assert "healthcheck" in service and service["healthcheck"].get("test"), name
        command = service.get("command") or []
        line = " ".join(command) if isinstance(command, list) else command
        for words in commands_in(line):
            flask_commands(app, words)
    for name in ("app1", "app2"):
        assert "/health/ready" in " ".join(services[name]["healthcheck"]["test"])
        assert "store:create_app()" in services[name]["command"]
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "app1:8000 app2:8000" in (DEPLOY / "Caddyfile").read_text()


def test_every_worker_command_is_in_the_compose_file(app):
    services = compose()["services"]
    named = {" ".join(words) for s in services.values() for words in commands_in(_line(s))}
    for worker in (
        "print-worker",
        "outbox-worker",
        "retention",
        "reservations lapse",
        "pickups send-mail",
    ):
        assert worker in named


def _line(service: dict) -> str:
    command = service.get("command") or []
    return " ".join(command) if isinstance(command, list) else command


@pytest.mark.parametrize("unit", sorted(p.name for p in (DEPLOY / "systemd").glob("*.service")))
def test_systemd_units_run_real_commands(app, unit):
    text = (DEPLOY / "systemd" / unit).read_text()
    starts = [line.split("=", 1)[1] for line in text.splitlines() if line.startswith("ExecStart=")]
    assert starts, unit
    for start in starts:
        for words in commands_in(start.replace("%i", "print-worker")):
            flask_commands(app, words)
        if "hardware.agent" in start:
            from hardware import agent

            args = shlex.split(start)
            assert "--url" in args and "--printer" in args
            spec = args[args.index("--printer") + 1]
            assert agent.parse_printer(spec)[1] == "usb"


def test_the_dockerfile_copies_what_the_app_needs():
    text = (DEPLOY / "Dockerfile").read_text()
    for folder in ("store", "hardware", "templates", "static"):
        assert f"COPY {folder} {folder}" in text
    assert "pybabel compile" in text and "'.[s3]'" in text
