"""Shared pieces of the dashboard pages: the sidebar, sign-in and the page context.

Anything that comes from a YAML file goes through :func:`md` (:mod:`evaltool.dashboard.escape`) before it
reaches a Markdown-rendering element; tables (st.dataframe) show text as text. What the pages say about a
result comes from :mod:`evaltool.wording`, its numbers from :mod:`evaltool.fmt`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import streamlit as st
from streamlit import config
from streamlit.delta_generator import DeltaGenerator

from evaltool import fmt, wording
from evaltool.dashboard import data, signin
from evaltool.dashboard.escape import md as md
from evaltool.dashboard.escape import plain as plain
from evaltool.dashboard.escape import strong
from evaltool.dashboard.findings import segment_captions, tier_caption
from evaltool.dashboard.frames import criterion_names as criterion_names
from evaltool.defaults import DEFAULT_METHOD
from evaltool.evaluation import Evaluation
from evaltool.models import Profile
from evaltool.recommend import Recommendation
from evaltool.scoring import METHODS, Method, ScoreResult, SegmentResult
from evaltool.workspace import Workspace

ALL = ""  # the "all segments" / "each segment's own profile" choice in the sidebar
METHOD_TEXT = {"wsm": "Weighted sum (0-100)", "topsis": "TOPSIS closeness (0-1)"}


def headline(evaluation: Evaluation, segment: SegmentResult) -> str:
    """One sentence per segment, as every output says it: who leads, a tie, or a choice down to one."""
    return wording.headline(evaluation, segment.name, strong=strong, esc=md)


def why(result: ScoreResult, segment: SegmentResult) -> str | None:
    """Where the leader gains and loses against the runner-up, by category (escaped): in WSM points
    under WSM, in category closeness under TOPSIS (its categories do not add up to the score)."""
    leader = segment.leader
    others = [v for v in segment.vendors if leader is not None and v.id != leader.id and v.ranked]
    if leader is None or not others:
        return None
    second = others[0]
    wsm = result.method == "wsm"
    rows = []  # (category name, gain, how it reads)
    for c in result.catalog.categories:
        if wsm:
            gain = sum(leader.cells[k.id].contribution - second.cells[k.id].contribution for k in c.criteria)
            rows.append((c.name, gain, f"{fmt.fixed(gain, 1, sign=True)} points"))
        else:
            mine, theirs = leader.categories[c.id], second.categories[c.id]
            rows.append(
                (c.name, mine - theirs, f"closeness {fmt.fixed(mine, 3)} against {fmt.fixed(theirs, 3)}")
            )
    least = 0.05 if wsm else 0.005
    ahead = [r for r in sorted(rows, key=lambda r: -r[1]) if r[1] >= least][:2]
    behind = [r for r in sorted(rows, key=lambda r: r[1]) if r[1] <= -least][:1]
    if not ahead:
        return None
    text = f"Why: ahead of {md(second.name)} on " + " and ".join(f"{md(n)} ({said})" for n, _, said in ahead)
    if behind:
        name, gain, said = behind[0]
        text += f"; behind on {md(name)} ({fmt.fixed(gain, 1) if wsm else said})"
    return text + "."


def rec_of(evaluation: Evaluation, vendor_id: str) -> Recommendation:
    """The recommendation of one vendor."""
    return evaluation.recommendations[vendor_id]


# --- sidebar and context -------------------------------------------------------------------------------


def selection() -> data.Selection:
    """The sidebar's choices, read from session state (defaults before the sidebar has run)."""
    profile = st.session_state.get("profile", ALL) or None
    segment = st.session_state.get("segment", ALL) or None
    method = st.session_state.get("method", DEFAULT_METHOD)
    blind = data.forced_blind() or bool(st.session_state.get("blind", False))
    hidden = tuple(st.session_state.get("hidden", ()))
    return data.Selection(profile, segment, method if method in METHODS else DEFAULT_METHOD, blind, hidden)


def _profile_label(workspace: Workspace, profile_id: str) -> str:
    if profile_id == ALL:
        return wording.EACH_SEGMENT
    if profile_id == data.CATALOG:
        return wording.label(wording.CATALOG_WEIGHTS)
    return f"{workspace.profiles[profile_id].name} ({profile_id})"


def _profile_options(workspace: Workspace) -> list[str]:
    """Each segment's own profile (the default), the catalog's weights, then every profile by id."""
    return [ALL, data.CATALOG, *sorted(p for p in workspace.profiles if p != data.CATALOG)]


def _segment_label(segment: str) -> str:
    return "All segments" if segment == ALL else segment


def _method_label(method: Method) -> str:
    return METHOD_TEXT[method]


# Characters of a profile's label the select box shows whole in the 400 px sidebar (app.py): about 300 px
# of 14 px Source Sans at some 6.5 px a character, with a margin.
PROFILE_BOX_CHARS = 44


def sidebar(loaded: data.Loaded) -> None:
    """Workspace summary, profile / segment / method choice, and notes on stale or inconsistent data."""
    _, workspace = loaded.valid()
    segments = workspace.segments()
    for key, options in (("profile", _profile_options(workspace)), ("segment", [ALL, *segments])):
        if st.session_state.get(key, ALL) not in options:
            st.session_state[key] = ALL  # the file behind the choice went away
    with st.sidebar:
        st.markdown(f"**{md(workspace.catalog.catalog)}**")
        st.caption(
            f"Catalog version {md(workspace.catalog.version)} · {len(workspace.vendors)} vendors in "
            f"{len(segments)} segment{'s' if len(segments) != 1 else ''} · evidence checked as of "
            f"{workspace.as_of.isoformat()}"
        )
        st.selectbox(
            "Profile (use-case weights)", _profile_options(workspace), key="profile",
            format_func=lambda p: _profile_label(workspace, p),
            help="A profile re-weights the catalog for one use case; gates may differ too. By default each "
            "segment is scored with the profile that names it, else with the catalog's weights.",
        )  # fmt: skip
        chosen = _profile_label(workspace, st.session_state.get("profile", ALL))
        if len(chosen) > PROFILE_BOX_CHARS:  # the box cuts it: the whole name below it
            st.caption(f"Profile: {md(chosen)}")
        st.selectbox("Segment", [ALL, *segments], key="segment", format_func=_segment_label)
        st.radio(
            "Method", list(METHODS), key="method", format_func=_method_label,
            help="WSM: transparent weighted sum of 0-5 grades. TOPSIS: closeness to the ideal vendor.",
        )  # fmt: skip
        _panel(workspace)
        picked = selection()
        if picked.profile is None and workspace.segment_profiles():  # each segment in view: its own
            segment_captions(workspace, [picked.segment] if picked.segment else segments)
        else:
            tier_caption(workspace.catalog, workspace.profile(picked.profile))
        _notes(data.view(loaded, selection()), selection())


def _panel(workspace: Workspace) -> None:
    """Blind-panel choices: relabel the vendors, hide categories (docs/security.md, "Blind panels")."""
    forced = data.forced_blind()
    if forced:
        st.session_state["blind"] = True
    categories = [c.id for c in workspace.catalog.categories]
    if any(h not in categories for h in st.session_state.get("hidden", ())):
        st.session_state["hidden"] = [h for h in st.session_state["hidden"] if h in categories]
    st.toggle(
        "Blind view", key="blind", disabled=forced,
        help="Vendors become Vendor A, B, C… in a random order; names, websites, summaries and any text "
        "naming a vendor are withheld on every page and download."
        + (" This server was started for a blind panel (evaltool dashboard --anonymize)." if forced else ""),
    )  # fmt: skip
    names = {c.id: c.name for c in workspace.catalog.categories}
    if len(categories) < 2:  # one category: nothing could be hidden
        return
    st.multiselect(
        "Hide categories", categories, key="hidden", format_func=lambda c: names[c],
        max_selections=len(categories) - 1,
        help="Leave categories out of the evaluation, e.g. Commercial for a technical-only panel.",
    )  # fmt: skip


def _profiles_in_use(workspace: Workspace, chosen: data.Selection) -> list[Profile]:
    """The profiles the selection scores with: the chosen one, else those naming the segments in view."""
    if chosen.profile is not None:
        profile = workspace.profile(chosen.profile)
        return [] if profile is None else [profile]
    own = workspace.segment_profiles()
    in_view = [chosen.segment] if chosen.segment else workspace.segments()
    return list({own[s].id: own[s] for s in in_view if s in own}.values())


def _notes(loaded: data.Loaded, chosen: data.Selection) -> None:
    _, workspace = loaded.valid()
    stale = [p for p in loaded.problems if p.code == "expired-evidence"]
    if stale:
        st.warning(
            f"{len(stale)} piece{'s' if len(stale) != 1 else ''} of evidence past expiry; "
            "see Vendor detail (⚠ marks them).",
            icon=":material/schedule:",
        )
    for profile in _profiles_in_use(workspace, chosen):
        if profile.ahp is None:
            continue
        from evaltool.ahp import ahp

        check = ahp(profile.ahp.matrix)
        if not check.consistent:
            st.warning(
                f"The AHP judgements of this profile are inconsistent (CR {check.cr:.3f} > 0.10); "
                "its category weights are unreliable.",
                icon=":material/balance:",
            )
    others = [p for p in loaded.problems if p not in stale]
    if others:
        with st.expander(f"{len(others)} other note{'s' if len(others) != 1 else ''} on the workspace"):
            for problem in others:
                st.text(str(problem))
    if auth_configured() and st.user.get("is_logged_in"):
        st.caption(f"Signed in as {md(st.user.get('email') or st.user.get('name') or 'user')}")
        if st.button("Sign out", key="logout"):
            st.logout()


# --- sign-in -------------------------------------------------------------------------------------------


SIGN_IN_BROKEN = (
    "Sign-in is configured for this dashboard, but its settings could not be loaded, so nothing is shown. "
    "The operator can find the cause with `evaltool dashboard`, which names the secrets file and the "
    "problem; fix it, then reload this page."
)


def _auth_section() -> object | None:
    """The [auth] section of the secrets Streamlit loaded; None when none loaded or it has none."""
    secrets = st.secrets
    try:
        return secrets.get("auth") if secrets.load_if_toml_exists() else None
    except Exception:  # a secrets file that cannot even be opened: treated as no secrets at all
        return None


def _secrets_files() -> list[Path]:
    """The TOML secrets files Streamlit is set to read, and those it reads by default (they may differ)."""
    files = [*config.get_option("secrets.files"), *config.get_config_files("secrets.toml")]
    return [Path(f) for f in dict.fromkeys(files) if str(f).endswith(".toml")]


def sign_in_broken() -> bool:
    """Sign-in is asked for but cannot work: a secrets file sets up auth, yet no complete [auth] loaded.

    Streamlit drops every secret when any secrets file fails to parse; without this check the app would then
    run as if sign-in had never been configured (README "Sign-in (OIDC)").
    """
    auth = _auth_section()
    if auth is not None:
        return bool(signin.missing(auth))
    return any(signin.mentions_auth(path) for path in _secrets_files())


def auth_configured() -> bool:
    """True when secrets.toml has an [auth] section (Streamlit's OIDC sign-in)."""
    return _auth_section() is not None


def signed_in() -> bool:
    """Whether the app may show data: no sign-in configured, or the user has signed in.

    With an [auth] section the app fails closed: until st.user.is_logged_in, only a sign-in button shows;
    when sign-in is configured but cannot work, only an error shows.
    """
    if sign_in_broken():
        st.title("Technology evaluation")
        st.error(SIGN_IN_BROKEN, icon=":material/lock:")
        return False
    if not auth_configured() or st.user.get("is_logged_in"):
        return True
    st.title("Technology evaluation")
    st.write("Sign in with your organisation account to see the evaluation.")
    if st.button("Sign in", type="primary", key="login"):
        try:
            st.login()
        except Exception as exc:  # e.g. Authlib missing
            st.error(f"Sign-in is configured but cannot start: {exc}")
    return False


@dataclass(frozen=True)
class Context:
    """What a page needs: the workspace, the sidebar's choice and its (cached) evaluation."""

    loaded: data.Loaded
    workspace: Workspace
    selection: data.Selection
    evaluation: Evaluation

    @property
    def result(self) -> ScoreResult:
        """The scored result."""
        return self.evaluation.result

    @property
    def segments(self) -> Sequence[SegmentResult]:
        """The segments in view."""
        return self.evaluation.result.segments


def context() -> Context:
    """The current page context (the app only shows pages when the workspace is valid)."""
    chosen = selection()
    loaded = data.view(data.load(), chosen)
    _, workspace = loaded.valid()
    return Context(loaded, workspace, chosen, data.evaluation(loaded, chosen))


def subtitle(ctx: Context) -> None:
    """One line under a page title saying which weights, method and segment the page shows."""
    result = ctx.result
    if not result.uniform:
        weights = wording.EACH_SEGMENT.lower()
    else:
        weights = md(result.profile.name) if result.profile is not None else wording.CATALOG_WEIGHTS
    segment = md(ctx.selection.segment) if ctx.selection.segment else "all segments"
    st.caption(f"{weights} · {METHOD_TEXT[ctx.selection.method]} · {segment}")


def for_segment(evaluation: Evaluation, segment: str) -> Evaluation:
    """The evaluation of one segment, with that segment's profile as its own: what a page hands to a figure
    or summary that reads the weights of a whole run."""
    return replace(evaluation, result=evaluation.result.for_segment(segment))


def segment_tabs(segments: Sequence[SegmentResult], key: str) -> list[tuple[SegmentResult, DeltaGenerator]]:
    """One tab per segment, of which only the open one is drawn (a switch reruns); no tabs for one segment."""
    if len(segments) == 1:
        return [(segments[0], st.container())]
    tabs = st.tabs([md(s.name) for s in segments], key=key, on_change="rerun")
    return [(segment, tab) for segment, tab in zip(segments, tabs, strict=True) if tab.open is not False]


def pick_segment(ctx: Context, key: str) -> SegmentResult | None:
    """The sidebar's segment, or (when it shows all) a segment chosen on the page."""
    segments = list(ctx.segments)
    if not segments:
        st.info("This workspace has no vendors yet: add vendors/<id>.yaml files.")
        return None
    if len(segments) == 1:
        return segments[0]
    names = [s.name for s in segments]
    name = st.selectbox("Segment", names, key=key)
    return segments[names.index(name)]
