"""The console filter of the headless-page tests: a line the page caused fails the test, a
line from Chromium's own UI does not (CI failed once on a "Slow network" note it logged)."""

from tests.support.chromium import _from_page


def test_page_messages_count_and_browser_ui_messages_do_not() -> None:
    csp = (
        '[1:1:1206/111503.4:INFO:CONSOLE:0] "Refused to load the image '
        "'https://x.example/a.png' because it violates the following Content Security Policy "
        'directive", source: file:///tmp/page.html (0)'
    )
    ui = (
        '[2133:2133:1206/111503.419209:INFO:CONSOLE:574] "Slow network is detected.", '
        "source: chrome://resources/cr_components/composebox/composebox_input.js (574)"
    )
    assert _from_page(csp)
    assert not _from_page(ui)
    assert not _from_page("[1:1:1206/111503.4:INFO:gpu_init.cc] not a console line")
