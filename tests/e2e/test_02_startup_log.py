"""Home Assistant's log after start-up holds no error and no deprecation of the integration."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .logcheck import problems

if TYPE_CHECKING:
    from demo_stack import Stack

DOMAIN = "actronair_neo"
SAMPLE = """\
2026-11-23 12:49:45.029+00:00 WARNING (SyncWorker_0) [homeassistant.loader] We found a custom \
integration actronair_neo which has not been tested by Home Assistant.
2026-11-23 12:49:45.370+00:00 ERROR (MainThread) [haffmpeg.core] FFmpeg fails
Traceback (most recent call last):
FileNotFoundError: [Errno 2] No such file or directory: 'ffmpeg'
2026-11-23 12:49:46.000+00:00 ERROR (MainThread) [homeassistant.config_entries] Error setting \
up entry
Traceback (most recent call last):
  File "/config/custom_components/actronair_neo/coordinator.py", line 1, in _async_setup
KeyError: 'x'
2026-11-23 12:49:47.000+00:00 WARNING (MainThread) [py.warnings] /config/custom_components/\
actronair_neo/entity.py:9: DeprecationWarning: via_device is deprecated
2026-11-23 12:49:48.000+00:00 DEBUG (MainThread) [custom_components.actronair_neo] polled
"""


def test_the_check_finds_the_integrations_errors_and_deprecations() -> None:
    found = problems(SAMPLE, DOMAIN)

    assert [(record.level, record.logger) for record in found] == [
        ("ERROR", "homeassistant.config_entries"),
        ("WARNING", "py.warnings"),
    ]
    assert "KeyError" in found[0].text


def test_start_up_log_has_no_error_or_deprecation_of_the_integration(
    entry: dict[str, Any], stack: Stack
) -> None:
    del entry  # loaded, polled and on its dashboard: start-up is over
    log = stack.ha_log.read_text()

    assert f"custom_components.{DOMAIN}" in log  # the integration's own (debug) records are there
    assert problems(log, DOMAIN) == []
