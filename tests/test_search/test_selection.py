# Copyright (c) mmrecast contributors. All rights reserved.
import itertools

import numpy as np
import pytest

from mmrecast.search import (Budget, JointBudget, RowLimit, budget_terms,
                             parse_budget, plan_total, row_limits, select_plan,
                             select_plans)
from mmrecast.utils.errors import ConfigError


def _problem(seed: int):
    rng = np.random.default_rng(seed)
    options = {f'b{k}': [0, 1, 2] for k in range(4)}
    scores = {(b, i): -float(rng.uniform(0, 1)) for b in options
              for i in options[b]}
    deltas = dict(
        latency={(b, i): -float(rng.uniform(0, 3)) for b in options
                 for i in options[b]},
        params={(b, i): float(rng.uniform(-2, 1)) for b in options
                for i in options[b]})
    return options, scores, deltas


def _longest_row(choice, blocks, member, through):
    """The most blocks in a row that take ``member``, ``through`` blocks
    between them not counted and not breaking the row."""
    longest = count = 0
    for block in blocks:
        if choice.get(block) == member:
            count += 1
        elif choice.get(block) != through:
            count = 0
        longest = max(longest, count)
    return longest


def _brute_force(options, scores, deltas, limits, allowed=lambda c: True):
    best, best_score = None, -np.inf
    blocks = list(options)
    for picks in itertools.product(*[[-1] + options[b] for b in blocks]):
        choice = {b: i for b, i in zip(blocks, picks) if i >= 0}
        if allowed(choice) and all(
                sum(deltas[r][(b, i)] for b, i in choice.items()) <= limit +
                1e-9 for r, limit in limits.items()):
            score = sum(scores[(b, i)] for b, i in choice.items())
            if score > best_score:
                best, best_score = choice, score
    return best, best_score


@pytest.mark.parametrize('seed', range(4))
@pytest.mark.parametrize('limits', [
    dict(latency=-2.0),
    dict(latency=-6.0),
    dict(latency=-4.0, params=-1.0),
])
def test_milp_finds_the_best_choice(seed, limits):
    options, scores, deltas = _problem(seed)
    expected, expected_score = _brute_force(options, scores, deltas, limits)
    choice = select_plan(options, scores, deltas, limits)
    assert sum(scores[(b, i)] for b, i in choice.items()) == pytest.approx(
        expected_score)
    for resource, limit in limits.items():
        assert sum(deltas[resource][(b, i)]
                   for b, i in choice.items()) <= limit + 1e-6


def test_no_saving_needed_keeps_the_teacher():
    options, scores, deltas = _problem(0)
    assert select_plan(options, scores, deltas, dict(latency=0.0)) == {}


def test_an_unreachable_budget_says_how_far_plans_go():
    options, scores, deltas = _problem(0)
    most = sum(min(deltas['latency'][(b, i)] for i in options[b])
               for b in options)
    with pytest.raises(ValueError, match=f'{most:.4g}'):
        select_plan(options, scores, deltas, dict(latency=most - 1))


def test_budgets_parse_relative_and_absolute():
    assert parse_budget('latency=0.5x') == Budget('latency', 0.5, True)
    assert parse_budget('params=150000') == Budget('params', 150000, False)
    assert parse_budget('latency=0.5x').limit(10.0) == 5.0
    assert parse_budget('latency=12ms') == Budget('latency', 12.0, False)
    for text in ('macs=0.25x', 'latency=12ms', 'params=150000'):
        assert str(parse_budget(text)) == text
    for bad in ('latency', 'speed=0.5x', 'latency=fast', 'latency=1.2.3x',
                'params=5ms'):
        with pytest.raises(ConfigError, match='--budget'):
            parse_budget(bad)


def test_counts_take_the_k_m_g_of_the_search_tables():
    """The tables print parameters as ``104.0K``; ``params=100K`` was
    refused."""
    assert parse_budget('params=100K') == Budget('params', 1e5, False)
    assert parse_budget('params=1.5k') == Budget('params', 1500, False)
    assert parse_budget('macs=40.5M') == Budget('macs', 40.5e6, False)
    assert parse_budget('macs=2G').limit(1.0) == 2e9
    assert str(parse_budget('macs=40.5M')) == 'macs=40500000'
    with pytest.raises(ConfigError, match="^--budget 'latency=3M': M counts "
                       'parameters or MACs; a latency is written '
                       'latency=3ms or a fraction, latency=3x$'):
        parse_budget('latency=3M')
    # a lower-case m could be milli: refused
    with pytest.raises(ConfigError, match=r'params\|macs=COUNT \(150000 or '
                       r'150K\)'):
        parse_budget('params=3m')


def test_a_joint_budget_parses_its_terms_met_together():
    budget = parse_budget('latency=0.5x,params=150000')
    assert budget == JointBudget((Budget('latency', 0.5, True),
                                  Budget('params', 150000, False)))
    assert budget_terms(budget) == budget.terms
    assert budget_terms(Budget('macs', 0.3, True)) == (
        Budget('macs', 0.3, True), )
    assert str(budget) == 'latency=0.5x,params=150000'
    with pytest.raises(ConfigError, match="--budget 'latency=0.5x,"
                       "latency=2ms': latency is limited twice"):
        parse_budget('latency=0.5x,latency=2ms')
    with pytest.raises(ConfigError, match="'latency=0.5x,params': write"):
        parse_budget('latency=0.5x,params')
    with pytest.raises(ConfigError, match="'latency=0.5x,param=0.3x': param "
                       'is not a resource; did you mean `params`'):
        parse_budget('latency=0.5x,param=0.3x')
    with pytest.raises(ConfigError, match='did you mean latency=0.5x'):
        parse_budget('params=0.5x,latency=0.5')
    with pytest.raises(ConfigError, match="'latency=50%,params=0.3x': a "
                       'fraction of the teacher is written latency=0.5x$'):
        parse_budget('latency=50%,params=0.3x')


def test_a_budget_the_teacher_meets_is_refused():
    """``macs=1.5x`` once ran a whole search and wrote an empty plan."""
    for text in ('macs=1.5x', 'latency=1x,params=2x'):
        with pytest.raises(ConfigError, match=f"^--budget '{text}': the "
                           'teacher itself meets it; a student is chosen '
                           'under a fraction below 1x'):
            parse_budget(text)
    # one term below 1x binds: a student under both
    assert parse_budget('latency=1x,params=0.3x').terms[1].value == 0.3


def test_limits_each_reachable_but_not_together_are_named():
    options = {'a': [0, 1]}
    scores = {('a', 0): -1.0, ('a', 1): -1.0}
    # candidate 0 saves latency, candidate 1 parameters: never both
    deltas = dict(latency={('a', 0): -2.0, ('a', 1): 0.0},
                  params={('a', 0): 0.0, ('a', 1): -2.0})
    assert select_plan(options, scores, deltas,
                       dict(latency=-1.0, params=0.0)) == {'a': 0}
    with pytest.raises(ValueError, match='no plan meets latency and params '
                       'together, though each alone is reachable'):
        select_plan(options, scores, deltas, dict(latency=-1.0, params=-1.0))


def test_a_latency_without_its_unit_is_refused_with_the_likely_fix():
    """``latency=0.5`` once ran a whole search as 0.5 ms."""
    with pytest.raises(ConfigError, match='did you mean latency=0.5x'):
        parse_budget('latency=0.5')


def test_a_relative_budget_refers_to_the_measured_teacher():
    """The model predicts the teacher at 95 ms, it measured 90: 0.5x is
    45 ms, so the deltas may add at most -50 to the model's 95."""
    budget = parse_budget('latency=0.5x')
    assert budget.allowed_change(90.0, 95.0) == -50.0
    assert budget.allowed_change(90.0) == -45.0  # no model: the teacher
    assert parse_budget('latency=40ms').allowed_change(90.0, 95.0) == -55.0
    options = {'a': [0], 'b': [0]}
    scores = {('a', 0): -1.0, ('b', 0): -1.0}
    deltas = dict(latency={('a', 0): -48.0, ('b', 0): -10.0})
    # -48 alone leaves a 47 ms student (above 45): both blocks must go
    assert select_plan(options, scores, deltas,
                       dict(latency=budget.allowed_change(90.0, 95.0))) == {
                           'a': 0, 'b': 0}


@pytest.mark.parametrize('seed', range(3))
def test_the_best_plans_come_in_order_and_all_meet_the_budget(seed):
    options, scores, deltas = _problem(seed)
    limits = dict(latency=-3.0)
    blocks = list(options)
    feasible = []
    for picks in itertools.product(*[[-1] + options[b] for b in blocks]):
        choice = {b: i for b, i in zip(blocks, picks) if i >= 0}
        if sum(deltas['latency'][(b, i)]
               for b, i in choice.items()) <= limits['latency'] + 1e-9:
            feasible.append(sum(scores[(b, i)] for b, i in choice.items()))
    plans = select_plans(options, scores, deltas, limits, 6)
    assert len({tuple(sorted(p.items())) for p in plans}) == 6
    found = [sum(scores[(b, i)] for b, i in p.items()) for p in plans]
    assert found == pytest.approx(sorted(feasible, reverse=True)[:6])


def test_asking_for_more_plans_than_exist_returns_them_all():
    options = {'a': [0], 'b': [0]}
    scores = {('a', 0): -1.0, ('b', 0): -2.0}
    deltas = dict(latency={('a', 0): -1.0, ('b', 0): -1.0})
    plans = select_plans(options, scores, deltas, dict(latency=-1.0), 10)
    assert plans == [{'a': 0}, {'b': 0}, {'a': 0, 'b': 0}]


@pytest.mark.parametrize('seed', range(3))
@pytest.mark.parametrize('most', [1, 2])
def test_a_row_limit_is_met_and_costs_nothing_more(seed, most):
    """Candidate 1 is limited, candidate 2 passes a row through: the
    program's best equals brute force's best among plans that obey it."""
    rng = np.random.default_rng(seed)
    options = {f'b{k}': [0, 1, 2] for k in range(6)}
    # the limited candidate is the cheap, harmless one: unconstrained, the
    # best plan chains it, so the limit binds
    scores = {(b, i): -float(rng.uniform(0, 1)) * (0.01 if i == 1 else 1)
              for b in options for i in options[b]}
    deltas = dict(latency={(b, i): -float(rng.uniform(1, 2)) - (i == 2)
                           for b in options for i in options[b]})
    limits = dict(latency=-9.0)
    blocks = list(options)
    free = select_plan(options, scores, deltas, limits)
    assert _longest_row(free, blocks, 1, 2) > most  # the limit binds
    limit = RowLimit({b: [1] for b in blocks}, {b: [2] for b in blocks},
                     most)
    choice = select_plan(options, scores, deltas, limits, rows=[limit])
    assert _longest_row(choice, blocks, 1, 2) <= most
    _, expected = _brute_force(
        options, scores, deltas, limits,
        lambda c: _longest_row(c, blocks, 1, 2) <= most)
    assert sum(scores[(b, i)] for b, i in choice.items()) == pytest.approx(
        expected)
    for plan in select_plans(options, scores, deltas, limits, 4, [limit]):
        assert _longest_row(plan, blocks, 1, 2) <= most


def test_a_kept_block_ends_a_row_a_removed_one_does_not():
    """Two grouped convs around a removed block are refused; around a kept
    block they are the best plan."""
    options = {b: [0, 1] for b in 'abc'}  # 0: grouped, 1: removed
    scores = {(b, i): -1.0 - 2 * i for b in 'abc' for i in (0, 1)}
    deltas = dict(latency={(b, i): -1.0 - i for b in 'abc' for i in (0, 1)})
    limit = RowLimit({b: [0] for b in 'abc'}, {b: [1] for b in 'abc'}, 1)
    assert select_plan(options, scores, deltas, dict(latency=-2.0),
                       rows=[limit]) == {'a': 0, 'c': 0}
    # saving 4: removing b between two grouped convs is best (score -5)
    # but refused; two removals are next (-6)
    assert select_plan(options, scores, deltas,
                       dict(latency=-4.0)) == {'a': 0, 'b': 1, 'c': 0}
    choice = select_plan(options, scores, deltas, dict(latency=-4.0),
                         rows=[limit])
    assert sum(scores[(b, i)] for b, i in choice.items()) == -6.0


def test_row_limits_are_read_from_the_config_by_candidate_name():
    names = {'a': ['conv', 'conv-groups2', 'shortcut'],
             'b': ['conv', 'conv-groups2', 'shortcut']}
    (limit, ) = row_limits(names, [
        dict(candidates=['conv-groups2'], through=['shortcut'], most=2)])
    assert limit == RowLimit({'a': [1], 'b': [1]}, {'a': [2], 'b': [2]}, 2)
    for bad, message in [
        (dict(candidates=['conv-group2'], most=1), r"\['conv-group2'\] name "
         'no candidate'),
        (dict(candidates=['conv-groups2'], through=['conv-groups2'],
              most=1), 'both counted and passed through'),
        (dict(candidates=['conv-groups2']), 'most=N'),
        (dict(candidates=['conv-groups2'], most=0), 'most=N'),
        (dict(candidate=['conv-groups2'], most=1), 'most=N'),
    ]:
        with pytest.raises(ConfigError, match=r'row_limits\[0\].*' + message):
            row_limits(names, [bad])


def test_an_infeasible_search_blames_the_row_limits_only_when_they_bind():
    options = {b: [0] for b in 'ab'}
    scores = {(b, 0): -1.0 for b in 'ab'}
    deltas = dict(latency={(b, 0): -1.0 for b in 'ab'})
    limit = RowLimit({b: [0] for b in 'ab'}, {}, 1)
    with pytest.raises(ValueError, match='within search_cfg.row_limits'):
        select_plan(options, scores, deltas, dict(latency=-2.0),
                    rows=[limit])
    with pytest.raises(ValueError, match='the most any plan changes it is'):
        select_plan(options, scores, deltas, dict(latency=-3.0),
                    rows=[limit])


def test_a_pair_saving_is_counted_only_for_both_candidates():
    """Each of a0 and b0 saves 1; together they save 3 (a folded
    projection). A 2.5 saving needs the pair, which costs more score than
    the single c0 that saves 1 alone."""
    options = {'a': [0], 'b': [0], 'c': [0]}
    scores = {('a', 0): -1.0, ('b', 0): -1.0, ('c', 0): -0.5}
    deltas = dict(latency={('a', 0): -1.0, ('b', 0): -1.0, ('c', 0): -1.0,
                           (('a', 0), ('b', 0)): -1.0})
    assert select_plan(options, scores, deltas, dict(latency=-2.5)) == {
        'a': 0, 'b': 0}
    # without the pair no two candidates reach 2.5: all three are needed
    deltas['latency'].pop((('a', 0), ('b', 0)))
    assert select_plan(options, scores, deltas, dict(latency=-2.5)) == {
        'a': 0, 'b': 0, 'c': 0}


@pytest.mark.parametrize('seed', range(6))
def test_pair_scores_and_savings_count_exactly_when_both_are_chosen(seed):
    """Random pair terms of both signs on scores and one sign on latency:
    the integer program finds the brute-force optimum."""
    options, scores, deltas = _problem(seed)
    rng = np.random.default_rng(100 + seed)
    blocks = list(options)
    for first, second in zip(blocks, blocks[1:]):
        for index in (0, 1):  # a penalty, saving nothing; a saving
            pair = ((first, index), (second, int(rng.integers(3))))
            scores[pair] = -float(rng.uniform(0, 2)) if index == 0 else \
                float(rng.uniform(-1, 1))
            deltas['latency'][pair] = 0.0 if index == 0 else \
                -float(rng.uniform(0, 2))
    limits = dict(latency=-5.0)
    best = max(
        ({b: i for b, i in zip(blocks, picks) if i >= 0}
         for picks in itertools.product(*[[-1] + options[b] for b in blocks])),
        key=lambda c: plan_total(scores, c)
        if plan_total(deltas['latency'], c) <= -5.0 + 1e-9 else -np.inf)
    choice = select_plan(options, scores, deltas, limits)
    assert plan_total(deltas['latency'], choice) <= -5.0 + 1e-6
    assert plan_total(scores, choice) == pytest.approx(
        plan_total(scores, best))


@pytest.mark.parametrize('seed', range(4))
def test_a_required_option_comes_with_what_it_requires(seed):
    # block k's option 2 (a span) needs option 1 (a removal) of block k+1;
    # spans score best, so without the rows they would be taken alone
    options, scores, deltas = _problem(seed)
    blocks = list(options)
    requires = {(a, 2): (b, 1) for a, b in zip(blocks, blocks[1:])}
    for option in requires:
        scores[option] = 0.5
    limits = dict(latency=-4.0)

    def allowed(choice):
        return all(choice.get(b) == i for (a, k), (b, i) in requires.items()
                   if choice.get(a) == k)

    expected, expected_score = _brute_force(options, scores, deltas, limits,
                                            allowed)
    chosen = select_plan(options, scores, deltas, limits, requires=requires)
    assert allowed(chosen)
    assert plan_total(scores, chosen) == pytest.approx(expected_score)
    free = select_plan(options, scores, deltas, limits)
    assert not allowed(free)  # the rows are what keeps the spans honest
    # an option whose requirement is not on offer is never taken
    only = {b: [0, 2] for b in blocks}
    assert not requires.keys() & select_plan(
        only, scores, deltas, dict(latency=-1.0), requires=requires).items()
