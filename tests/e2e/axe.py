"""axe-core on every public and enterprise page the browser tests open (issue 9.19).

Every browser context of a test gets axe (vendored, ``tests/e2e/vendor``) and a small runner as
init scripts: after each page load outside /admin/ (Wagtail's own admin) the runner calls
``axe.run`` and reports the serious and critical violations to Python through an exposed binding.
Before a context closes, the run of its open pages is awaited. The test fails at teardown when
any page had such a violation, naming the page, the rule and the elements.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")

RUNNER = """
(() => {
  if (window.top !== window || location.pathname.startsWith('/admin/')) return;
  const page = location.pathname + location.search;
  window.__portalAxeDone = new Promise((resolve) => {
    window.addEventListener('load', () => setTimeout(() => {
      window.axe.run(document, {resultTypes: ['violations']})
        .then((result) => result.violations
          .filter((v) => IMPACTS.includes(v.impact))
          .map((v) => ({rule: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' '))})))
        .catch((error) => [{rule: 'axe-error', impact: 'critical', help: String(error), nodes: []}])
        .then((violations) => window.__portalAxe(page, violations))
        .then(resolve, resolve);
    }, 0), {once: true});
  });
})();
""".replace("IMPACTS", str(list(FAILING_IMPACTS)))


@dataclass
class AxeRecorder:
    violations: dict[str, list[dict]] = field(default_factory=dict)
    checked: set[str] = field(default_factory=set)

    def attach(self, context) -> None:
        context.expose_binding("__portalAxe", lambda source, page, found: self._report(page, found))
        context.add_init_script(path=str(AXE_SCRIPT))
        context.add_init_script(RUNNER)
        original_close = context.close

        def close(*args, **kwargs):
            self.finish(context)
            return original_close(*args, **kwargs)

        context.close = close

    def _report(self, page: str, found: list[dict]) -> None:
        self.checked.add(page)
        if found:
            self.violations.setdefault(page, []).extend(found)

    def finish(self, context) -> None:
        """Wait for the runs of the pages still open (a test's last page)."""
        for page in context.pages:
            try:
                page.evaluate("() => window.__portalAxeDone")
            except Exception:  # noqa: BLE001 - a closed or crashed page has nothing left to report
                pass

    def report(self) -> str:
        lines = []
        for page, found in sorted(self.violations.items()):
            for violation in found:
                lines.append(
                    f"{page}: [{violation['impact']}] {violation['rule']} — {violation['help']} "
                    f"at {', '.join(violation['nodes'])}"
                )
        return "\n".join(lines)
