# Copyright (c) mmrecast contributors. All rights reserved.
"""Latency-aware plan search: score the candidates of a trained
:class:`~mmrecast.models.CandidateLibrary`, time them in place, and pick
one per block for a budget with an integer program."""
from .calibration import CalibrationStep, calibrate_latency
from .costs import candidate_costs, size_costs
from .hand_plan import parse_choice
from .latency_table import (LatencyTable, build_student, folding_pairs,
                            load_latency_table, measure_latency_table,
                            measure_students, timing_batches)
from .library_loader import (LibraryAndRecast, check_library_config,
                             load_library, load_library_and_recast,
                             load_library_config, load_searched_library)
from .plan_search import (FRONTIER, ChosenPlan, PlanSearch, Timing,
                          check_budgets)
from .plan_writer import (candidate_names, plan_folder, plan_steps,
                          search_config_path, search_configs, uniform_name,
                          uniform_plans, write_plan, write_search_plan)
from .scores import (SCORES, pair_scores, score_candidates, score_plans,
                     search_scores)
from .search_file import read_search
from .search_run import RESUME_TABLE, run_search, search_summary
from .search_settings import RUNTIMES, SearchSettings, search_settings
from .selection import (RESOURCES, Budget, JointBudget, RowLimit, budget_terms,
                        parse_budget, plan_total, row_limits, select_plan,
                        select_plans)

__all__ = [
    'LibraryAndRecast', 'load_library_and_recast',
    'CalibrationStep', 'calibrate_latency', 'candidate_costs', 'size_costs',
    'check_library_config', 'load_library_config', 'search_config_path',
    'candidate_names', 'LatencyTable', 'build_student', 'folding_pairs',
    'load_latency_table', 'load_library', 'load_searched_library',
    'measure_latency_table',
    'measure_students', 'parse_choice', 'plan_folder', 'plan_steps',
    'search_configs', 'uniform_name', 'uniform_plans', 'write_plan',
    'write_search_plan',
    'SCORES', 'score_candidates', 'score_plans', 'pair_scores',
    'search_scores',
    'read_search', 'RESUME_TABLE', 'run_search', 'search_summary',
    'RESOURCES', 'Budget', 'JointBudget', 'budget_terms',
    'RowLimit', 'parse_budget',
    'plan_total', 'row_limits', 'select_plan', 'select_plans',
    'timing_batches', 'RUNTIMES', 'SearchSettings', 'search_settings',
    'FRONTIER', 'ChosenPlan', 'PlanSearch', 'Timing', 'check_budgets'
]
