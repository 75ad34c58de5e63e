"""Everything entraide writes on a pass, as {vault path: Generated}."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from entraide.analytics.report import Analysis
from entraide.model import Problem, Vault
from entraide.settings import Settings
from entraide.writeback import Generated

CHECKINS = "Check-ins.md"
PROBLEMS = "Problems.md"


def render_outputs(
    vault: Vault,
    settings: Settings,
    today: date,
    existing_reviews: Mapping[str, bool] | None = None,
    extra_problems: Iterable[Problem] = (),
    analysis: Analysis | None = None,
) -> dict[str, Generated]:
    from entraide.i18n import lang
    from entraide.render import checkins, problems, reviews

    if analysis is None or analysis.vault is not vault:
        analysis = Analysis(vault, settings)
    folder = settings.output_folder
    outputs = {
        f"{folder}/{CHECKINS}": Generated({}, checkins.render(analysis, today), "\n"),
        f"{folder}/{PROBLEMS}": Generated(
            {}, problems.render((*vault.problems, *extra_problems), lang(settings.language))
        ),
    }
    for label, generated in reviews.render_due(analysis, today, existing_reviews or {}).items():
        outputs[f"{folder}/Reviews/{label}.md"] = generated
    return outputs
