"""The heat map counts open risks per cell, before and after treatment, in SVG and a table."""

from ciodesk.core.scope import acting_as, scope
from ciodesk.security.heatmap import heat_map, heat_table
from ciodesk.security.models import Risk
from ciodesk.security.services_risks import heat_counts, risk_views, risks_queryset


def add(world, likelihood, impact, residual=(None, None), status="open"):
    with scope(world.a), acting_as("test setup"):
        Risk.objects.create(
            title=f"Risk {likelihood}{impact}",
            owner=world.records["a"]["people"],
            likelihood=likelihood,
            impact=impact,
            residual_likelihood=residual[0],
            residual_impact=residual[1],
            status=status,
        )


def views(world):
    with scope(world.a):
        return risk_views(risks_queryset(), world.a.today())


def test_counts_per_cell_leave_closed_risks_out(world):
    add(world, 4, 5, residual=(2, 5))
    add(world, 4, 5, residual=(2, 5))
    add(world, 1, 2, residual=(1, 1))
    add(world, 4, 5, status="closed")
    inherent = heat_counts(views(world))
    residual = heat_counts(views(world), residual=True)
    # the world's own risk: likelihood 3, impact 5, residual not rated
    assert (inherent.count(4, 5), inherent.count(1, 2), inherent.count(3, 5)) == (2, 1, 1)
    assert inherent.total == 4
    assert (residual.count(2, 5), residual.count(1, 1), residual.count(4, 5)) == (2, 1, 0)
    assert residual.unrated == 1


def test_the_svg_is_a_labelled_five_by_five_grid_with_the_counts(world):
    add(world, 4, 5)
    add(world, 4, 5)
    counts = heat_counts(views(world))
    svg = str(heat_map("m", "Open risks <before>", counts))
    assert svg.count("<rect") == 25
    assert '<title id="m-title">Open risks &lt;before&gt;</title>' in svg
    assert 'aria-labelledby="m-title m-desc"' in svg
    assert "likelihood 4 × impact 5 (critical): 2 risks" in svg
    assert ">2</text>" in svg and ">1</text>" in svg  # the cells' numbers
    assert "Likelihood 4, impact 5, score 20 (critical): 2 risks" in svg
    table = heat_table(counts)
    assert [impact for impact, _, _ in table] == [5, 4, 3, 2, 1]
    assert [c.count for c in table[0][2]] == [0, 0, 1, 2, 0]


def test_the_page_shows_both_maps_and_their_tables(world, as_user):
    add(world, 2, 2, residual=(1, 2))
    page = as_user(world.exec_a).get("/c/alpha/security/risks/").content.decode()
    assert page.count('role="img"') == 2
    assert 'id="heat-inherent-table"' in page and 'id="heat-residual-table"' in page
    assert "1 open risk not yet rated after treatment." in page
